import FHIRBatch
import FHIRCore
import FHIRJSON
import FHIRTestSupport
import Foundation
import Testing

/// The batch pipeline through its public API, on real files.
@Suite struct BatchConverterTests {
    final class Messages: @unchecked Sendable {
        var text = ""
    }

    static func run(_ configure: (inout BatchConfiguration) -> Void) -> (BatchReport, String) {
        var configuration = BatchConfiguration()
        configure(&configuration)
        let messages = Messages()
        let report = BatchConverter(configuration).run { messages.text += $0 }
        return (report, messages.text)
    }

    static func lines(_ url: URL) throws -> [String] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            .map(String.init)
    }

    static func rejects(_ url: URL) throws -> [[String: Any]] {
        try lines(url).map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    @Test func ndjsonErrorsNameTheLineOfTheFileAndTheOrderIsKeptOnAnyNumberOfWorkers() throws {
        let folder = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        var lines = (0..<500).map { #"{"resourceType":"Patient","id":"p\#($0)","active":true}"# }
        lines[99] = #"{"resourceType":"Patient","id":"p99","active":"yes"}"#
        let input = folder.appendingPathComponent("in.ndjson")
        try (lines.joined(separator: "\n") + "\n").write(to: input, atomically: true, encoding: .utf8)
        var outputs: [[String]] = []
        for jobs in [1, 3] {
            let output = folder.appendingPathComponent("out\(jobs).ndjson"),
                rejects = folder.appendingPathComponent("rej\(jobs).ndjson")
            let (report, messages) = Self.run {
                $0.inputs = [input.path]
                $0.to = "ndjson"
                $0.output = .file(output.path)
                $0.rejectsPath = rejects.path
                $0.jobs = jobs
            }
            #expect(report.status == .someRejected)
            #expect((report.read, report.written, report.rejected) == (500, 499, 1))
            #expect(
                messages == """
                    \(input.path):100:47: error: expected a boolean (true or false) for 'active', found a string [Patient.active]
                    summary: 1 input, 500 records read, 499 written, 1 rejected (rejects in \(rejects.path))

                    """)
            let rejected = try Self.rejects(rejects)
            #expect(rejected.count == 1)
            #expect(rejected.first?["line"] as? Int == 100)
            #expect(rejected.first?["record"] as? String == lines[99])
            outputs.append(try Self.lines(output))
        }
        #expect(outputs[0] == lines.enumerated().filter { $0.offset != 99 }.map(\.element))
        #expect(outputs[1] == outputs[0])
    }

    @Test func splitJSONBundleEntriesAreRejectedWithTheirPathAndLine() throws {
        let folder = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("b.json")
        try """
        {"resourceType": "Bundle", "type": "collection", "entry": [
          {"resource": {"resourceType": "Patient", "id": "a"}},
          {"resource": {"resourceType": "Patient",
                        "gender": 3}},
          {"request": {"method": "DELETE", "url": "Patient/x"}}
        ]}
        """.write(to: input, atomically: true, encoding: .utf8)
        let rejects = folder.appendingPathComponent("rejects.ndjson")
        let (report, messages) = Self.run {
            $0.inputs = [input.path]
            $0.to = "ndjson"
            $0.output = .file(folder.appendingPathComponent("out.ndjson").path)
            $0.rejectsPath = rejects.path
        }
        #expect(report.status == .someRejected)
        #expect((report.read, report.written, report.rejected) == (3, 1, 2))
        #expect(
            messages.contains(
                "\(input.path):4:27: error: expected a string for 'gender', found the number 3 [Bundle.entry[1].resource.ofType(Patient).gender]"
            ))
        #expect(
            messages.contains(
                "\(input.path):5:3: error: the Bundle entry has no resource (nothing to convert) [Bundle.entry[2]]"))
        #expect(try Self.rejects(rejects).map { $0["entry"] as? Int } == [1, 2])
    }

    @Test func anXMLBundleBrokenHalfwayKeepsTheEntriesBeforeAndIsUnusable() throws {
        let folder = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("b.xml")
        // Many good entries, the last ones parsed by libxml2's read-ahead together with the break.
        var xml = "<Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"collection\"/>\n"
        xml += "<entry><resource><Patient><active value=\"maybe\"/></Patient></resource></entry>\n"
        for index in 1...2_000 {
            xml += "<entry><resource><Patient><id value=\"p\(index)\"/></Patient></resource></entry>\n"
        }
        xml += "<entry><resource><Patient></Bundle>\n"
        try xml.write(to: input, atomically: true, encoding: .utf8)
        let output = folder.appendingPathComponent("out.ndjson"),
            rejects = folder.appendingPathComponent("rejects.ndjson")
        let (report, messages) = Self.run {
            $0.inputs = [input.path]
            $0.to = "ndjson"
            $0.output = .file(output.path)
            $0.rejectsPath = rejects.path
        }
        let rejected = try Self.rejects(rejects)
        #expect(rejected.first?["entry"] as? Int == 0)
        #expect(
            rejected.first?["record"] as? String
                == #"<entry xmlns="http://hl7.org/fhir"><resource><Patient><active value="maybe"/></Patient></resource></entry>"#
        )
        #expect(
            rejected.last?["message"] as? String
                == "malformed XML: Opening and ending tag mismatch: Patient line 2003 and Bundle")
        #expect(report.status == .unusableInput)
        #expect(report.unusableInputs == 1)
        #expect(report.read == report.written + report.rejected)
        #expect(report.rejected == 2)  // the bad entry, and the break that ends the input
        #expect(report.written == 2_000)  // every good entry, those read ahead with the break too
        #expect(try Self.lines(output) == (1...report.written).map { #"{"resourceType":"Patient","id":"p\#($0)"}"# })
        #expect(messages.hasPrefix("\(input.path):2:"))
        #expect(messages.contains("[Bundle.entry[0].resource.ofType(Patient).active]"))
        #expect(messages.contains("\(input.path):2003:"))
        #expect(messages.contains("malformed XML"))
    }

    @Test func outputDirectoryGetsOneFilePerInputOrPerRecordWithSplit() throws {
        let folder = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let inputs = folder.appendingPathComponent("in")
        try FileManager.default.createDirectory(
            at: inputs.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try #"{"resourceType":"Patient","id":"one"}"#.write(
            to: inputs.appendingPathComponent("a.json"), atomically: true, encoding: .utf8)
        try "{\"resourceType\":\"Patient\",\"id\":\"l1\"}\n{\"resourceType\":\"Patient\",\"id\":\"l2\"}\n"
            .write(to: inputs.appendingPathComponent("sub/b.ndjson"), atomically: true, encoding: .utf8)
        try "notes".write(to: inputs.appendingPathComponent("README.txt"), atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("out")
        let (report, _) = Self.run {
            $0.inputs = [inputs.path]
            $0.to = "xml"
            $0.split = true
            $0.output = .directory(out.path)
        }
        #expect(report.status == .success)
        #expect(report.skippedFiles == 1)
        let files = try FileManager.default.subpathsOfDirectory(atPath: out.path).sorted()
        #expect(files == ["a.xml", "sub", "sub/b-1.xml", "sub/b-2.xml"])
        let second = try String(contentsOf: out.appendingPathComponent("sub/b-2.xml"), encoding: .utf8)
        #expect(
            second
                == #"<?xml version="1.0" encoding="UTF-8"?><Patient xmlns="http://hl7.org/fhir"><id value="l2"/></Patient>"#
        )
    }

    // MARK: Extension points

    /// A local format for the test: `{"mrn":"…","weightKg":"…"}` per line → a Patient and a weight Observation.
    struct TinyLocalDecoder: RecordDecoder {
        func decode(_ record: RawRecord) throws(FHIRDiagnostic) -> DecodedRecord {
            guard case .bytes(let bytes) = record.payload,
                let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: String],
                let mrn = object["mrn"], let weight = object["weightKg"]
            else {
                throw FHIRDiagnostic(
                    code: .missing, message: "a local record needs mrn and weightKg",
                    location: record.origin.inInput(SourceLocation(line: 1, column: 1, byteOffset: 0)))
            }
            let patient = Patient(id: FHIRPrimitive(mrn))
            let observation = Observation(
                id: FHIRPrimitive("w-\(mrn)"), status: "final",
                value: .quantity(Quantity(value: (try? FHIRDecimal(weight)).map { FHIRPrimitive($0) }, unit: "kg")))
            return DecodedRecord(resources: [.patient(patient), .observation(observation)])
        }
    }

    /// Rejects Patients without a gender, and warns about every Observation.
    struct GenderCheck: RecordCheck {
        func check(_ record: DecodedRecord, origin: RecordOrigin) -> [FHIRDiagnostic] {
            record.resources.flatMap { resource -> [FHIRDiagnostic] in
                switch resource {
                case .patient(let patient) where patient.gender == nil:
                    [FHIRDiagnostic(code: .missing, message: "gender is required here", fhirPath: "Patient.gender")]
                case .observation:
                    [FHIRDiagnostic(.warning, code: .invalidValue, message: "looked at", fhirPath: "Observation")]
                default:
                    []
                }
            }
        }
    }

    @Test func aNewInputFormatAndACheckPlugIntoThePipeline() throws {
        let folder = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("local.ndjson")
        try "{\"mrn\":\"m1\",\"weightKg\":\"72.50\"}\n{\"mrn\":\"m2\"}\n".write(
            to: input, atomically: true, encoding: .utf8)
        let output = folder.appendingPathComponent("out.ndjson")
        let (report, messages) = Self.run {
            $0.formats.register(
                InputFormat(name: "tiny", framing: .lines, decoder: TinyLocalDecoder(), summary: "test records"))
            $0.from = "tiny"
            $0.inputs = [input.path]
            $0.to = "ndjson"
            $0.output = .file(output.path)
        }
        #expect(report.status == .someRejected)
        #expect((report.read, report.written, report.rejected) == (2, 1, 1))
        #expect(
            try Self.lines(output) == [
                #"{"resourceType":"Patient","id":"m1"}"#,
                #"{"resourceType":"Observation","id":"w-m1","status":"final","valueQuantity":{"value":72.50,"unit":"kg"}}"#,
            ])
        #expect(messages.hasPrefix("\(input.path):2:1: error: a local record needs mrn and weightKg\n"))

        let (checked, checkMessages) = Self.run {
            $0.formats.register(
                InputFormat(name: "tiny", framing: .lines, decoder: TinyLocalDecoder(), summary: "test records"))
            $0.from = "tiny"
            $0.checks = [GenderCheck()]
            $0.inputs = [input.path]
            $0.to = "ndjson"
            $0.output = .file(output.path)
        }
        #expect((checked.read, checked.written, checked.rejected) == (2, 0, 2))
        #expect(checkMessages.contains("\(input.path):1:1: error: gender is required here [Patient.gender]"))
        #expect(checkMessages.contains("warning: looked at [Observation]"))
    }
}
