import FHIRCore
import FHIRJSON
import FHIRTestSupport
import FHIRXML
import Foundation
import Testing

/// Every official JSON/XML pair, both directions: XML written from the JSON equals the official
/// XML (canonically), and JSON written from the XML equals the official JSON (as a tree, with
/// narrative `div` strings compared as canonical XHTML).
@Suite struct CrossFormatCorpusTests {
    /// Pairs: the JSON folder and the XML folder holding files with the same base name.
    static let pairFolders = [
        ("fhir-r4/json", "fhir-r4/xml"),
        ("fhir-r4/fhir-test-cases/json", "fhir-r4/fhir-test-cases/xml"),
    ]

    /// Official pairs whose two files do not say the same thing, so no converter can make them
    /// equal (see ../shared/corpus/fhir-r4/SOURCES.md). Each is still converted both ways; the
    /// test checks that it does differ, so a stale entry is noticed.
    static let disagreeingPairs: [String: (reason: String, mustMention: String)] = [
        "fhir-r4/json/observation-decimal.json": (
            "the JSON lost decimal digits in a 2019 re-serialization (XML 1.00, 1.0e0, 0.0000000000000000000001,"
                + " 1.000000000000000000e-245; JSON 1.0, 1.0, 1.0e-22, 1.0e-245)",
            "1.00"
        ),
        "fhir-r4/json/observation-example-body-height.json": (
            "the JSON lost a decimal digit (XML 66.899999999999991, JSON 66.89999999999999)",
            "66.899999999999991"
        ),
        "fhir-r4/fhir-test-cases/json/observation-decimal.json": (
            "component[2] is 1.0e0 in the XML but 1.0 in the JSON (all other decimals agree)",
            "1.0e0"
        ),
        "fhir-r4/fhir-test-cases/json/observation-example.json": (
            "the XML gained a patient-age extension in 2022 (for FHIRPath tests) that the JSON lacks",
            "patient-age"
        ),
    ]

    struct Outcome {
        var checked = 0
        var equal = 0
        var disagreeing: [String] = []
        var misses: [String] = []
        /// Pairs whose HTEST label was moved between meta.tag and meta.security.
        var relabelled = 0
    }

    @Test func everyOfficialPairConvertsBothWays() throws {
        guard SharedCorpus.root != nil else {
            print(SharedCorpus.absentMessage)
            return
        }
        var outcome = Outcome()
        for (jsonFolder, xmlFolder) in Self.pairFolders {
            let jsonURL = try #require(SharedCorpus.url(jsonFolder))
            let xmlURL = try #require(SharedCorpus.url(xmlFolder))
            let xmlNames = Set(try FileManager.default.contentsOfDirectory(atPath: xmlURL.path))
            let bases = try FileManager.default.contentsOfDirectory(atPath: jsonURL.path)
                .filter { $0.hasSuffix(".json") }
                .map { String($0.dropLast(5)) }
                .filter { xmlNames.contains($0 + ".xml") }
                .sorted()
            for base in bases {
                let key = "\(jsonFolder)/\(base).json"
                let json = try [UInt8](Data(contentsOf: jsonURL.appendingPathComponent(base + ".json")))
                let xml = try [UInt8](Data(contentsOf: xmlURL.appendingPathComponent(base + ".xml")))
                outcome.checked += 1
                let (problems, relabelled) = Self.compare(json: json, xml: xml)
                if relabelled { outcome.relabelled += 1 }
                if let (reason, mustMention) = Self.disagreeingPairs[key] {
                    if !problems.joined().contains(mustMention) {
                        outcome.misses.append(
                            "\(key): listed as disagreeing (\(reason)) but the difference found is"
                                + " not the listed one: \(problems)")
                    } else if problems.isEmpty {
                        outcome.misses.append("\(key): listed as disagreeing (\(reason)) but both directions are equal")
                    } else {
                        outcome.disagreeing.append("\(key): \(reason) [\(problems.joined(separator: "; "))]")
                    }
                } else if problems.isEmpty {
                    outcome.equal += 1
                } else {
                    outcome.misses.append("\(key): \(problems.joined(separator: "; "))")
                }
            }
        }
        print(
            "JSON<->XML corpus: \(outcome.checked) pairs checked, \(outcome.equal) equal both ways,"
                + " \(outcome.disagreeing.count) listed as disagreeing, \(outcome.misses.count) misses")
        print(
            "  \(outcome.relabelled) pairs carry the HTEST label as meta.tag in JSON but meta.security in XML;"
                + " that one coding was moved before comparing (CorpusHTESTLabel)")
        for line in outcome.disagreeing { print("  LISTED \(line)") }
        for line in outcome.misses { print("  MISS \(line)") }
        #expect(outcome.checked == 181, "178 main pairs and 3 fhir-test-cases pairs")
        #expect(outcome.misses.isEmpty, "first miss: \(outcome.misses.first ?? "")")
        #expect(outcome.equal + outcome.disagreeing.count == outcome.checked)
    }

    /// The differences of one pair, in each direction; empty when both directions are equal.
    static func compare(json: [UInt8], xml: [UInt8]) -> (problems: [String], relabelled: Bool) {
        var problems: [String] = []
        var relabelled = false
        do {
            var fromJSON = try FHIRJSONDecoder().decode(AnyResource.self, from: json)
            if let moved = CorpusHTESTLabel.move(in: fromJSON, from: .tag) {
                fromJSON = moved
                relabelled = true
            }
            let writtenXML = try FHIRXMLEncoder(pretty: true).encode(fromJSON)
            if let difference = CanonicalXML.difference(expected: xml, actual: writtenXML) {
                problems.append("JSON→XML \(difference)")
            }
        } catch {
            problems.append("JSON→XML failed: \(error)")
        }
        do {
            var fromXML = try FHIRXMLDecoder().decode(AnyResource.self, from: xml)
            if relabelled, let moved = CorpusHTESTLabel.move(in: fromXML, from: .security) { fromXML = moved }
            let writtenJSON = try JSONTree.parse(FHIRJSONEncoder().encode(fromXML))
            let official = try JSONTree.parse(json)
            if let difference = official.firstDifference(from: writtenJSON, equivalentStrings: sameNarrative) {
                problems.append("XML→JSON \(difference)")
            }
        } catch {
            problems.append("XML→JSON failed: \(error)")
        }
        return (problems, relabelled)
    }

    /// Strings are equal exactly, except narrative `div`s, which are equal as canonical XHTML.
    static func sameNarrative(path: String, lhs: String, rhs: String) -> Bool {
        if lhs == rhs { return true }
        guard path.hasSuffix(".div") else { return false }
        return CanonicalXML.canonical(lhs) == CanonicalXML.canonical(rhs)
    }
}
