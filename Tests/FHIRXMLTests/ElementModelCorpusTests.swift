import FHIRCore
import FHIRElementModel
import FHIRJSON
import FHIRTestSupport
import FHIRXML
import Foundation
import Testing

/// The element model over the official corpus: every JSON/XML pair of every R4 type converts
/// both ways to the other official form (XML compared canonically, JSON as a tree with numbers
/// by their exact text), every XML written validates against `fhir-single.xsd`, and every
/// published JSON example goes JSON → XML → JSON unchanged, narrative included.
@Suite struct ElementModelCorpusTests {
    static let index: FHIRLayoutIndex? = StandInLayouts.shared.map { FHIRLayoutIndex($0) }

    static let pairFolders = [
        ("fhir-r4/all-types/json", "fhir-r4/all-types/xml"),
        ("fhir-r4/json", "fhir-r4/xml"),
    ]

    /// Official pairs whose two files do not say the same thing (SOURCES.md): converted both
    /// ways all the same, and held to differ in the listed way, so a stale entry is noticed.
    static let disagreeingPairs: [String: (reason: String, mustMention: String)] = [
        "fhir-r4/json/observation-decimal.json": (
            "the JSON lost decimal digits in a 2019 re-serialization (XML 1.00, JSON 1.0 …)", "1.00"),
        "fhir-r4/json/observation-example-body-height.json": (
            "the JSON lost a decimal digit (XML 66.899999999999991, JSON 66.89999999999999)", "66.899999999999991"),
    ]

    /// Converts one pair both ways; the differences found, empty when both directions agree.
    static func compare(json: [UInt8], xml: [UInt8], index: FHIRLayoutIndex) -> (problems: [String], writtenXML: [UInt8]?) {
        var problems: [String] = []
        var writtenXML: [UInt8]?
        var relabelled = false
        do {
            let fromJSON = try FHIRElementJSONReader(index: index).read(json)
            relabelled = CorpusHTESTElement.move(in: fromJSON, from: "tag", to: "security", index: index)
            let written = try FHIRElementXMLWriter(pretty: true).write(fromJSON)
            writtenXML = written
            if let difference = CanonicalXML.difference(expected: xml, actual: written) {
                problems.append("JSON→XML \(difference)")
            }
        } catch {
            problems.append("JSON→XML failed: \(error)")
        }
        do {
            let fromXML = try FHIRElementXMLReader(index: index).read(xml)
            if relabelled { _ = CorpusHTESTElement.move(in: fromXML, from: "security", to: "tag", index: index) }
            let written = try JSONTree.parse(FHIRElementJSONWriter().write(fromXML))
            if let difference = try JSONTree.parse(json).firstDifference(
                from: written, equivalentStrings: CrossFormatCorpusTests.sameNarrative) {
                problems.append("XML→JSON \(difference)")
            }
        } catch {
            problems.append("XML→JSON failed: \(error)")
        }
        return (problems, writtenXML)
    }

    @Test func everyPairOfEveryTypeConvertsBothWaysAndTheXMLValidates() throws {
        guard let index = Self.index else {
            print(SharedCorpus.absentMessage)
            return
        }
        var pairs: [(key: String, json: URL, xml: URL)] = []
        for (jsonFolder, xmlFolder) in Self.pairFolders {
            let jsonURL = try #require(SharedCorpus.url(jsonFolder))
            let xmlURL = try #require(SharedCorpus.url(xmlFolder))
            let xmlNames = Set(try FileManager.default.contentsOfDirectory(atPath: xmlURL.path))
            for name in try FileManager.default.contentsOfDirectory(atPath: jsonURL.path).sorted()
            where name.hasSuffix(".json") && xmlNames.contains(String(name.dropLast(5)) + ".xml") {
                pairs.append(("\(jsonFolder)/\(name)", jsonURL.appendingPathComponent(name),
                              xmlURL.appendingPathComponent(String(name.dropLast(5)) + ".xml")))
            }
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ivig-element-xml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let frozenPairs = pairs
        let results = ConcurrentResults<(problems: [String], written: URL?)>(count: pairs.count)
        DispatchQueue.concurrentPerform(iterations: pairs.count) { position in
            let pair = frozenPairs[position]
            guard let json = try? [UInt8](Data(contentsOf: pair.json)), let xml = try? [UInt8](Data(contentsOf: pair.xml)) else {
                results.set(position, (["unreadable"], nil))
                return
            }
            let (problems, writtenXML) = Self.compare(json: json, xml: xml, index: index)
            var written: URL?
            if let writtenXML {
                let url = folder.appendingPathComponent("\(position).xml")
                if FileManager.default.createFile(atPath: url.path, contents: Data(writtenXML)) { written = url }
            }
            results.set(position, (problems, written))
        }
        var misses: [String] = []
        var listed = 0
        for (position, pair) in pairs.enumerated() {
            let problems = results.values[position]?.problems ?? ["not converted"]
            if let (reason, mustMention) = Self.disagreeingPairs[pair.key] {
                if problems.isEmpty || !problems.joined().contains(mustMention) {
                    misses.append("\(pair.key): listed as disagreeing (\(reason)) but found: \(problems)")
                } else {
                    listed += 1
                }
            } else if !problems.isEmpty {
                misses.append("\(pair.key): \(problems.joined(separator: "; "))")
            }
        }
        print("element model, JSON<->XML: \(pairs.count) pairs, \(listed) listed as disagreeing, \(misses.count) misses")
        for miss in misses.prefix(40) { print("  MISS \(miss)") }
        #expect(pairs.count == 691 + 178)
        #expect(misses.isEmpty, "first miss: \(misses.first ?? "")")

        // Every XML written, against the official schema, many files per xmllint call.
        guard let xmllint = SchemaValidationTests.findExecutable("xmllint"),
              let schema = SharedCorpus.url("fhir-r4/schema/fhir-single.xsd") else {
            Issue.record("xmllint or the schema is missing (apt-get install libxml2-utils)")
            return
        }
        let files = (0..<pairs.count).compactMap { results.values[$0]?.written }
        let batches = stride(from: 0, to: files.count, by: 120).map { Array(files[$0..<min($0 + 120, files.count)]) }
        let invalid = ConcurrentResults<[String]>(count: batches.count)
        DispatchQueue.concurrentPerform(iterations: batches.count) { number in
            let batch = batches[number]
            guard let run = try? SchemaValidationTests.runXMLLint(xmllint, schema: schema, files: batch) else {
                invalid.set(number, ["xmllint did not run"])
                return
            }
            let verdicts = SchemaValidationTests.verdicts(report: run.report, files: batch.map(\.path))
            invalid.set(number, verdicts.filter { !$0.value.valid }.map { "\($0.key): \($0.value.messages.prefix(2))" })
        }
        let failures = (0..<batches.count).flatMap { invalid.values[$0] ?? [] }
        #expect(files.count == pairs.count)
        #expect(failures.isEmpty, "\(failures.count) invalid; first: \(failures.first ?? "")")
    }

    @Test func everyPublishedExampleGoesThroughXMLUnchanged() throws {
        guard let index = Self.index else {
            print(SharedCorpus.absentMessage)
            return
        }
        var files: [URL] = []
        for folder in ["fhir-r4/published-json-all", "fhir-r4/published-json"] {
            let url = try #require(SharedCorpus.url(folder))
            files += try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
                .filter { $0.hasSuffix(".json") }.map { url.appendingPathComponent($0) }
        }
        let frozenFiles = files
        let results = ConcurrentResults<String>(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { position in
            let name = frozenFiles[position].lastPathComponent
            do {
                let json = try [UInt8](Data(contentsOf: frozenFiles[position]))
                let xml = try FHIRElementXMLWriter().write(try FHIRElementJSONReader(index: index).read(json))
                let back = try FHIRElementJSONWriter(pretty: true).write(try FHIRElementXMLReader(index: index).read(xml))
                if let difference = try JSONTree.parse(json).firstDifference(from: JSONTree.parse(back)) {
                    results.set(position, "\(name): \(difference)")
                }
            } catch {
                results.set(position, "\(name): \(error)")
            }
        }
        let misses = (0..<files.count).compactMap { results.values[$0] }
        print("element model, published JSON → XML → JSON: \(files.count) examples, \(misses.count) misses")
        for miss in misses.prefix(30) { print("  MISS \(miss)") }
        #expect(files.count == 533 + 182)
        #expect(misses.isEmpty, "first miss: \(misses.first ?? "")")
    }
}

/// Results written from `concurrentPerform` workers, one slot each.
final class ConcurrentResults<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [Value?]

    init(count: Int) { values = Array(repeating: nil, count: count) }

    func set(_ position: Int, _ value: Value) {
        lock.lock()
        values[position] = value
        lock.unlock()
    }
}

/// ``CorpusHTESTLabel`` for the element model: the pairs' JSON carries the HTEST label in the
/// root's `meta.tag`, the XML in `meta.security`; moved before comparing.
enum CorpusHTESTElement {
    static func move(in resource: FHIRElement, from: String, to: String, index: FHIRLayoutIndex) -> Bool {
        guard let meta = resource.child(named: "meta"), let shape = index.shape(ofType: "Meta") else { return false }
        let moved = meta.children(named: from).filter { coding in
            coding.child(named: "code")?.value == "HTEST"
                && coding.child(named: "system")?.value == "http://terminology.hl7.org/CodeSystem/v3-ActReason"
        }
        guard !moved.isEmpty else { return false }
        for coding in moved { coding.name = to }
        // The moved coding goes to the end of the other list, as in the typed test.
        let reordered = meta.children.filter { child in !moved.contains { $0 === child } } + moved
        let slots = reordered.map { shape.slot(ofName: $0.name) ?? 0 }
        meta.setChildren(reordered)
        FHIRElementOrder.sort(meta, slots: slots)
        return true
    }
}
