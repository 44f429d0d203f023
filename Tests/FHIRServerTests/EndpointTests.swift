import FHIRGzip
import FHIRTestSupport
import Foundation
import Testing

/// Every endpoint, format and error status, through curl against the running server; the CLI's
/// own output is the reference for what conversion and validation must give.
@Suite("serve: endpoints")
struct EndpointTests {
    let server: ServerProcess

    init() throws { server = try SharedServer.get() }

    @Test("GET /health and GET /metadata (JSON and XML)")
    func healthAndMetadata() throws {
        let health = try Curl.request("GET", server.base + "/health")
        #expect(health.status == 200)
        #expect(health.text == "ok\n")

        let metadata = try Curl.request("GET", server.base + "/metadata")
        #expect(metadata.status == 200)
        #expect(metadata.headers["content-type"]?.hasPrefix("application/fhir+json") == true)
        let statement = try metadata.json()
        #expect(statement["resourceType"] as? String == "CapabilityStatement")
        let rest = (statement["rest"] as? [[String: Any]])?.first
        let names = (rest?["operation"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(names == ["convert", "validate"])

        let xml = try Curl.request("GET", server.base + "/metadata", headers: ["Accept": "application/fhir+xml"])
        #expect(xml.status == 200)
        #expect(xml.text.contains("<CapabilityStatement xmlns=\"http://hl7.org/fhir\">"))
        #expect(xml.text.contains("<name value=\"validate\"/>"))
    }

    @Test("$convert JSON → XML and back, as `convert` writes them (Accept, _format, _pretty)")
    func convertDocuments() throws {
        let json = try Fixtures.bytes(Fixtures.bundle)
        let expectedXML = try Fixtures.cli(["convert", "--to", "xml", "--quiet", Fixtures.bundle])
        let byAccept = try Curl.request(
            "POST", server.base + "/$convert",
            headers: ["Content-Type": "application/fhir+json", "Accept": "application/fhir+xml"], body: json)
        #expect(byAccept.status == 200)
        #expect(byAccept.headers["content-type"] == "application/fhir+xml; charset=utf-8")
        #expect(byAccept.body == expectedXML)

        let prettyXML = try Fixtures.cli(["convert", "--to", "xml", "--pretty", "--quiet", Fixtures.bundle])
        let byFormat = try Curl.request(
            "POST", server.base + "/$convert?_format=xml&_pretty=true",
            headers: ["Content-Type": "application/json"], body: json)
        #expect(byFormat.status == 200)
        #expect(byFormat.body == prettyXML)

        let back = try Curl.request(
            "POST", server.base + "/$convert",
            headers: ["Content-Type": "application/fhir+xml", "Accept": "application/fhir+json"], body: byAccept.body)
        let expectedJSON = try Fixtures.cli(["convert", "--to", "json", "--quiet", Fixtures.bundle])
        #expect(back.status == 200)
        #expect(back.body == expectedJSON)
    }

    @Test("$convert streams NDJSON; a broken record comes back as an OperationOutcome in its place")
    func convertNDJSON() throws {
        let lines = try Fixtures.cli(["convert", "--to", "ndjson", "--quiet", Fixtures.bundle])
            .split(separator: 0x0A).map(Array.init)
        #expect(lines.count > 3)
        var body: [UInt8] = []
        for (index, line) in lines.enumerated() {
            body += (index == 2 ? Array(#"{"resourceType":"Observation","status":42}"#.utf8) : line) + [0x0A]
        }
        let answer = try Curl.request(
            "POST", server.base + "/$convert", headers: ["Content-Type": "application/fhir+ndjson"], body: body)
        #expect(answer.status == 200)
        #expect(answer.headers["content-type"] == "application/fhir+ndjson; charset=utf-8")
        let out = answer.body.split(separator: 0x0A).map(Array.init)
        #expect(out.count == lines.count)
        for (index, line) in out.enumerated() where index != 2 { #expect(line == lines[index]) }
        let reject = try JSONSerialization.jsonObject(with: Data(out[2])) as? [String: Any]
        #expect(reject?["resourceType"] as? String == "OperationOutcome")
        let issue = (reject?["issue"] as? [[String: Any]])?.first
        let lineExtension = (issue?["extension"] as? [[String: Any]])?.first {
            ($0["url"] as? String)?.hasSuffix("issue-line") == true
        }
        #expect(lineExtension?["valueInteger"] as? Int == 3)
    }

    @Test("$validate: 200 with the OperationOutcome `validate` finds, valid or not, JSON or XML")
    func validateResource() throws {
        let path = "Examples/validation/json/invalid/cidp-course-dose-too-high.json"
        let expected =
            try JSONSerialization.jsonObject(
                with: Data(try Fixtures.cli(["validate", "--format", "json", path]))) as? [String: Any]
        let answer = try Curl.request(
            "POST", server.base + "/$validate",
            headers: ["Content-Type": "application/fhir+json"], body: try Fixtures.bytes(path))
        #expect(answer.status == 200)
        let outcome = try answer.json()
        #expect(outcome["resourceType"] as? String == "OperationOutcome")
        #expect(ruleIDs(outcome).isEmpty == false)
        #expect(ruleIDs(outcome) == ruleIDs(expected ?? [:]))
        #expect(ruleIDs(outcome).contains("ivig-course-dose"))

        let valid = try Curl.request(
            "POST", server.base + "/Bundle/$validate",
            headers: ["Content-Type": "application/fhir+json", "Accept": "application/fhir+xml"],
            body: try Fixtures.bytes("Examples/validation/json/valid/gbs-course.json"))
        #expect(valid.status == 200)
        #expect(valid.text.contains("<OperationOutcome xmlns=\"http://hl7.org/fhir\">"))
        #expect(!valid.text.contains("value=\"error\""))

        let mismatch = try Curl.request(
            "POST", server.base + "/Patient/$validate",
            headers: ["Content-Type": "application/fhir+json"],
            body: try Fixtures.bytes("Examples/validation/json/valid/gbs-course.json"))
        #expect(mismatch.status == 400)
        #expect(try ruleIDs(mismatch.json()) == ["serve-type-mismatch"])
    }

    @Test("$validate of a Parameters with resource and profile")
    func validateParameters() throws {
        let resource =
            #"{"resourceType":"Observation","status":"final","code":{"text":"weight"},"#
            + #""valueQuantity":{"value":70,"unit":"kg","system":"http://unitsofmeasure.org","code":"kilogram"}}"#
        let parameters =
            #"{"resourceType":"Parameters","parameter":[{"name":"resource","resource":\#(resource)},"#
            + #"{"name":"profile","valueUri":"http://example.org/StructureDefinition/weight"}]}"#
        let answer = try Curl.request(
            "POST", server.base + "/Observation/$validate",
            headers: ["Content-Type": "application/fhir+json"], body: Array(parameters.utf8))
        #expect(answer.status == 200)
        let rules = try ruleIDs(answer.json())
        #expect(rules.contains("serve-profile-unknown"))
        #expect(rules.contains { $0.hasPrefix("ucum") || $0.hasPrefix("unit") } || rules.count > 1)

        // A profile base R4 holds (vital signs: body weight) is checked, as `validate --profile` does.
        let plain = try Curl.request(
            "POST", server.base + "/$validate", headers: ["Content-Type": "application/fhir+json"],
            body: Array(resource.utf8))
        let bodyWeight = try Curl.request(
            "POST", server.base + "/$validate", headers: ["Content-Type": "application/fhir+json"],
            body: Array(
                parameters.replacingOccurrences(
                    of: "http://example.org/StructureDefinition/weight",
                    with: "http://hl7.org/fhir/StructureDefinition/bodyweight"
                ).utf8))
        #expect(bodyWeight.status == 200)
        let profiled = try ruleIDs(bodyWeight.json())
        #expect(!profiled.contains("serve-profile-unknown"))
        #expect(profiled.count > (try ruleIDs(plain.json())).count)

        let empty = try Curl.request(
            "POST", server.base + "/$validate", headers: ["Content-Type": "application/fhir+json"],
            body: Array(
                #"{"resourceType":"Parameters","parameter":[{"name":"profile","valueUri":"http://example.org/p"}]}"#
                    .utf8))
        #expect(empty.status == 400)
        #expect(try ruleIDs(empty.json()) == ["serve-parameters"])
    }

    @Test("$validate of NDJSON: one OperationOutcome per record, in order")
    func validateNDJSON() throws {
        let lines = try Fixtures.cli(["convert", "--to", "ndjson", "--quiet", Fixtures.bundle]).split(separator: 0x0A)
        let body = lines.flatMap { Array($0) + [0x0A] } + Array("not json\n".utf8)
        let answer = try Curl.request(
            "POST", server.base + "/$validate", headers: ["Content-Type": "application/x-ndjson"], body: body)
        #expect(answer.status == 200)
        let outcomes = try answer.body.split(separator: 0x0A).map {
            try JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] ?? [:]
        }
        #expect(outcomes.count == lines.count + 1)
        #expect(outcomes.allSatisfy { $0["resourceType"] as? String == "OperationOutcome" })
        #expect(ruleIDs(outcomes.last ?? [:]) == ["struct-syntax"])
    }

    @Test("$convert of local records, from=local and to=local, as `convert` maps them")
    func localRecords() throws {
        let fromLocal = try Curl.request(
            "POST", server.base + "/$convert?from=local",
            headers: ["Content-Type": "application/x-ndjson"],
            body: try Fixtures.bytes("Examples/local/gbs.ndjson"))
        #expect(fromLocal.status == 200)
        let expected = try Fixtures.cli([
            "convert", "--from", "local", "--to", "ndjson", "--quiet", "Examples/local/gbs.ndjson",
        ])
        #expect(!expected.isEmpty)
        #expect(fromLocal.body == expected)

        let toLocal = try Curl.request(
            "POST", server.base + "/$convert?to=local",
            headers: ["Content-Type": "application/fhir+json"],
            body: try Fixtures.bytes("Examples/local/gbs.json"))
        #expect(toLocal.status == 200)
        // `convert` rejects the entries with no local record (Patient, …) and writes the others;
        // the server answers those with an OperationOutcome line in their place.
        let records = toLocal.body.split(separator: 0x0A).filter {
            !String(decoding: $0, as: UTF8.self).contains("OperationOutcome")
        }
        let expectedLocal = try Fixtures.cli(["convert", "--to", "local", "--quiet", "Examples/local/gbs.json"])
        #expect(!records.isEmpty)
        #expect(records.map(Array.init) == expectedLocal.split(separator: 0x0A).map(Array.init))
    }

    @Test("errors are OperationOutcomes with FHIR's statuses: 400, 404, 405, 406, 413, 415")
    func errorStatuses() throws {
        let json = ["Content-Type": "application/fhir+json"]
        let cases: [(String, HTTPExchange, String)] = [
            (
                "400",
                try Curl.request(
                    "POST", server.base + "/$convert", headers: json, body: Array("{\"resourceType\":".utf8)),
                "struct-syntax"
            ),
            ("404", try Curl.request("GET", server.base + "/Patient/123"), "http-not-found"),
            ("405", try Curl.request("GET", server.base + "/$convert"), "http-method"),
            (
                "406",
                try Curl.request(
                    "POST", server.base + "/$convert", headers: json.merging(["Accept": "text/html"]) { $1 },
                    body: try Fixtures.bytes(Fixtures.bundle)), "http-not-acceptable"
            ),
            (
                "413",
                try Curl.request(
                    "POST", server.base + "/$convert", headers: json, body: [UInt8](repeating: 0x20, count: 2 << 20)),
                "http-body-size"
            ),
            (
                "415",
                try Curl.request(
                    "POST", server.base + "/$convert", headers: ["Content-Type": "text/plain"], body: [0x7B, 0x7D]),
                "http-content-type"
            ),
        ]
        for (status, exchange, rule) in cases {
            #expect(String(exchange.status) == status, "\(rule)")
            #expect(try ruleIDs(exchange.json()) == [rule], "\(status)")
        }
        let notAllowed = try Curl.request("GET", server.base + "/$validate")
        #expect(notAllowed.headers["allow"] == "POST")
    }

    @Test("gzip both ways: a gzip request body, and a gzip answer when Accept-Encoding takes it")
    func gzipBothWays() throws {
        let json = try Fixtures.bytes(Fixtures.bundle)
        let expectedXML = try Fixtures.cli(["convert", "--to", "xml", "--quiet", Fixtures.bundle])
        let answer = try Curl.request(
            "POST", server.base + "/$convert",
            headers: [
                "Content-Type": "application/fhir+json", "Accept": "application/fhir+xml",
                "Content-Encoding": "gzip", "Accept-Encoding": "gzip",
            ],
            body: Gzip.compress(json))
        #expect(answer.status == 200)
        #expect(answer.headers["content-encoding"] == "gzip")
        #expect(try Gzip.decompress(answer.body) == expectedXML)

        let lines = try Fixtures.cli(["convert", "--to", "ndjson", "--quiet", Fixtures.bundle])
        let streamed = try Curl.request(
            "POST", server.base + "/$convert",
            headers: [
                "Content-Type": "application/fhir+ndjson", "Content-Encoding": "gzip",
                "Accept-Encoding": "gzip",
            ], body: Gzip.compress(lines))
        #expect(streamed.headers["content-encoding"] == "gzip")
        #expect(try Gzip.decompress(streamed.body) == lines)

        let corrupt = try Curl.request(
            "POST", server.base + "/$convert",
            headers: ["Content-Type": "application/fhir+json", "Content-Encoding": "gzip"],
            body: Array(Gzip.compress(json).prefix(100)))
        #expect(corrupt.status == 400)
        let unknownCoding = try Curl.request(
            "POST", server.base + "/$convert",
            headers: ["Content-Type": "application/fhir+json", "Content-Encoding": "br"], body: json)
        #expect(unknownCoding.status == 415)
    }

    @Test("200 concurrent requests (curl --parallel) all answered in full")
    func concurrentRequests() throws {
        let directory = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let body = directory.appendingPathComponent("body.json")
        try Data(try Fixtures.bytes(Fixtures.bundle)).write(to: body)
        var config = ""
        for index in 0..<200 {
            config += "url = \"\(server.base)/$convert\"\nrequest = \"POST\"\n"
            config += "header = \"Content-Type: application/fhir+json\"\nheader = \"Accept: application/fhir+xml\"\n"
            config += "data-binary = \"@\(body.path)\"\noutput = \"\(directory.path)/out-\(index).xml\"\n"
            config += "write-out = \"%{http_code}\\n\"\n"
            if index < 199 { config += "next\n" }
        }
        let configFile = directory.appendingPathComponent("curl.conf")
        try config.write(to: configFile, atomically: true, encoding: .utf8)
        let codes = try Curl.run(
            "/usr/bin/curl", ["-s", "-g", "--parallel", "--parallel-max", "64", "-K", configFile.path])
        #expect(codes.split(separator: "\n") == Array(repeating: "200", count: 200))
        let expected = try Fixtures.cli(["convert", "--to", "xml", "--quiet", Fixtures.bundle])
        for index in 0..<200 {
            #expect([UInt8](try Data(contentsOf: directory.appendingPathComponent("out-\(index).xml"))) == expected)
        }
    }

    @Test("one log line per request: method, path, status, bytes, duration; never the body")
    func requestLog() throws {
        let marker = "LogMarker\(UInt32.random(in: 0...UInt32.max))"
        let body = #"{"resourceType":"Patient","name":[{"family":"\#(marker)"}]}"#
        let answer = try Curl.request(
            "POST", server.base + "/$convert?_format=xml",
            headers: ["Content-Type": "application/fhir+json"], body: Array(body.utf8))
        #expect(answer.status == 200)
        #expect(answer.text.contains(marker))
        Thread.sleep(forTimeInterval: 0.2)
        let log = server.standardError
        let line = log.split(separator: "\n").last {
            $0.contains("path=/$convert") && $0.contains("bytes=\(answer.body.count)")
        }
        #expect(line != nil)
        #expect(
            line?.contains("method=POST") == true && line?.contains("status=200") == true
                && line?.contains("duration_ms=") == true)
        #expect(!log.contains(marker))
    }
}

/// The rule ids of an OperationOutcome's issues, in order.
func ruleIDs(_ outcome: [String: Any]) -> [String] {
    let issues = outcome["issue"] as? [[String: Any]] ?? []
    return issues.compactMap { issue in
        ((issue["details"] as? [String: Any])?["coding"] as? [[String: Any]])?.first?["code"] as? String
    }
}
