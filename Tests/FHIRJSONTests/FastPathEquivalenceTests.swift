import FHIRCore
import FHIRTestSupport
import Foundation
import Testing

@testable import FHIRJSON

/// The generated fast path and the Codable path agree: on every corpus file the fast path either
/// gives up or decodes the same model, never accepts what the Codable path refuses, and writes
/// the same bytes.
@Suite struct FastPathEquivalenceTests {
    static let folders = ["fhir-r4/json", "fhir-r4/published-json", "fhir-r4/fhir-test-cases/json"]

    static var codablePathDecoder: FHIRJSONDecoder {
        var decoder = FHIRJSONDecoder()
        decoder.useFastPath = false
        return decoder
    }

    static var codablePathEncoder: FHIRJSONEncoder {
        var encoder = FHIRJSONEncoder()
        encoder.useFastPath = false
        return encoder
    }

    static func fastDecode(_ bytes: [UInt8]) -> AnyResource? {
        guard let document = try? JSONScanner.parse(bytes, maxDepth: 64) else { return nil }
        return JSONFastReader.decode(AnyResource.self, from: document)
    }

    @Test func theCorpusDecodesAndEncodesAlikeOnBothPaths() throws {
        guard SharedCorpus.root != nil else {
            print(SharedCorpus.absentMessage)
            return
        }
        var files = 0, fastDecodes = 0, fastEncodes = 0
        var failures: [String] = []
        for folder in Self.folders {
            let url = try #require(SharedCorpus.url(folder))
            for name in try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
            where name.hasSuffix(".json") {
                files += 1
                let bytes = try [UInt8](Data(contentsOf: url.appendingPathComponent(name)))
                let codable = try? Self.codablePathDecoder.decode(AnyResource.self, from: bytes)
                let fast = Self.fastDecode(bytes)
                guard let codable else {
                    if fast != nil {
                        failures.append("\(folder)/\(name): the fast path accepted what the Codable path refuses")
                    }
                    continue
                }
                if let fast {
                    fastDecodes += 1
                    if fast != codable { failures.append("\(folder)/\(name): the fast path decoded another model") }
                }
                let expected = try Self.codablePathEncoder.encode(codable)
                if let written = JSONFastWriter.encode(codable) {
                    fastEncodes += 1
                    if written != expected { failures.append("\(folder)/\(name): the fast path wrote other bytes") }
                }
            }
        }
        print(
            "JSON fast path: \(files) corpus files, \(fastDecodes) decoded and \(fastEncodes) encoded on the fast path")
        for failure in failures.prefix(20) { print("  FAIL \(failure)") }
        #expect(failures.isEmpty, "\(failures.count) files differ; the first: \(failures.first ?? "")")
        #expect(fastDecodes > 250 && fastEncodes > 250, "the fast path should take the common case")
    }

    @Test(arguments: [
        #"{"resourceType":"Patient","name":[{"given":["A","B"],"_given":[null,{"id":"x"}]}]}"#,
        #"{"resourceType":"Patient","name":[{"_given":[null,{"id":"x"}],"given":["A","B"]}]}"#,
        #"{"resourceType":"Patient","name":[{"given":["A",null],"_given":[null,{"id":"x"}]}]}"#,
        #"{"resourceType":"Patient","_birthDate":{"id":"b"},"birthDate":"1970"}"#,
        #"{"resourceType":"Observation","_valueString":{"id":"v"},"valueString":"x"}"#,
        #"{"resourceType":"Observation","valueString":"x","_valueString":{"extension":[{"url":"u","valueCode":"c"}]}}"#,
        #"{"resourceType":"Observation","valueInteger":-0}"#,
        #"{"resourceType":"Observation","valueInteger":2147483647}"#,
        #"{"resourceType":"Observation","component":[{"valueBoolean":false}],"status":"final","id":"o"}"#,
        #"{"id":"p","resourceType":"Patient","text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">\u00e9 \n</div>"}}"#,
        #"{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","active":true}}]}"#,
        // Escapes before, inside and after the writer's 8-byte clean runs.
        #"{"resourceType":"Patient","name":[{"text":"abcdefg\"hijklmnopq\\rstuvwx\tyz and a tail with nothing to escape"}]}"#,
        #"{"resourceType":"Patient","name":[{"text":"\n1234567\r12345678\"","family":"12345678\\"}]}"#,
        #"{"resourceType":"Patient","name":[{"text":"abcdefghi\"","family":"abcdefghijkl\tm","given":["1234567\\","12345678901234\n"]}]}"#,
    ])
    func edgeCasesDecodeAlike(json: String) throws {
        let bytes = Array(json.utf8)
        let codable = try Self.codablePathDecoder.decode(AnyResource.self, from: bytes)
        let fast = try #require(Self.fastDecode(bytes), "the fast path should take this input")
        #expect(fast == codable)
        #expect(JSONFastWriter.encode(codable) == (try Self.codablePathEncoder.encode(codable)))
    }

    @Test(arguments: [
        #"{"resourceType":"Patient","name":[{"given":["A",null]}]}"#,
        #"{"resourceType":"Patient","name":[{"given":["A"],"_given":[{"id":"x"},null]}]}"#,
        #"{"resourceType":"Patient","name":[{"given":["A"],"_given":[{}]}]}"#,
        #"{"resourceType":"Observation","valueInteger":2147483648}"#,
        #"{"resourceType":"Observation","valueInteger":1.0}"#,
        #"{"resourceType":"Observation","valueString":"x","valueBoolean":true}"#,
        #"{"resourceType":"Observation","valueString":"x","_valueBoolean":{"id":"b"}}"#,
        #"{"resourceType":"Patient","gender":null}"#,
        #"{"resourceType":"Patient","gender":""}"#,
        #"{"resourceType":"Patient","maritalStatus":{}}"#,
        #"{"resourceType":"Patient","identifier":[]}"#,
        #"{"resourceType":"Patient","\u0061ctive":true}"#,
        #"{"resourceType":"Patient","colour":"blue"}"#,
        #"{"resourceType":"Patient","active":"true"}"#,
        #"{"resourceType":"Patient","contained":[{"resourceType":"Encounter"}]}"#,
        #"{"resourceType":"Patient","resourceType2":"x"}"#,
        #"{"active":true}"#,
    ])
    func theFastPathLeavesTheUnusualToTheCodablePath(json: String) throws {
        #expect(Self.fastDecode(Array(json.utf8)) == nil)
    }
}
