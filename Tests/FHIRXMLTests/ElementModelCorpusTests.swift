import FHIRCore
import FHIRElementModel
import FHIRJSON
import FHIRPackages
import FHIRTestSupport
import FHIRXML
import Foundation
import Testing

/// The element model over the official corpus: every JSON/XML pair of every R4 type converts
/// both ways to the other official form (XML compared canonically, JSON as a tree with numbers
/// by their exact text), every XML written validates against `fhir-single.xsd`, and every
/// published JSON example goes JSON → XML → JSON unchanged, narrative included.
@Suite struct ElementModelCorpusTests {
    static let index: FHIRLayoutIndex? = FHIRLayoutIndex(FHIRDefinitions.baseR4)

    static let pairFolders = [
        ("fhir-r4/all-types/json", "fhir-r4/all-types/xml"),
        ("fhir-r4/json", "fhir-r4/xml"),
    ]

    /// Official pairs whose two files do not say the same thing (SOURCES.md): converted both
    /// ways all the same, and held to differ in the listed way, so a stale entry is noticed.
    static let disagreeingPairs: [String: (reason: String, mustMention: String)] = [
        "fhir-r4/json/observation-decimal.json": (
            "the JSON lost decimal digits in a 2019 re-serialization (XML 1.0e0, JSON 1.0; XML 1.00, JSON 1.0 …)",
            "1.0e0"),
        "fhir-r4/json/observation-example-body-height.json": (
            "the JSON lost a decimal digit (XML 66.899999999999991, JSON 66.89999999999999)", "66.899999999999991"),
        "fhir-r4/all-types/json/external-resources.json": (
            "the two files lay out the first entry's narrative with different whitespace", "text.div"),
    ]

    /// Published examples that cannot be read, with the reason; held to fail as listed.
    static let unreadableExamples: [String: String] = [
        "Bundle-dataelements.json": "the file in the corpus is empty (0 bytes)"
    ]

    /// Converts one pair both ways; the differences found, empty when both directions agree.
    ///
    /// - XML → element → XML equals the official XML canonically.
    /// - JSON → element → XML, read back, equals the official XML read, as values; XML →
    ///   element → JSON equals the official JSON, as values: numbers by their exact text, except
    ///   the corpus quirk counted in `decimalQuirks` (the 2019 re-serialization of the JSON
    ///   dropped trailing zeros: XML `12500.00`, JSON `12500.0`), narrative as canonical XHTML.
    static func compare(
        json: [UInt8], xml: [UInt8], index: FHIRLayoutIndex
    ) -> (problems: [String], writtenXML: [UInt8]?, decimalQuirks: Int) {
        var problems: [String] = []
        var writtenXML: [UInt8]?
        var quirks: [String] = []
        do {
            let fromXML = try FHIRElementXMLReader(index: index).read(xml)
            if let difference = CanonicalXML.difference(expected: xml, actual: try FHIRElementXMLWriter(pretty: true).write(fromXML)) {
                problems.append("XML→XML \(difference)")
            }
            let officialXML = withoutHTEST(try JSONTree.parse(FHIRElementJSONWriter().write(fromXML)))
            let fromJSON = try FHIRElementJSONReader(index: index).read(json)
            let written = try FHIRElementXMLWriter(pretty: true).write(fromJSON)
            writtenXML = written
            let back = withoutHTEST(
                try JSONTree.parse(FHIRElementJSONWriter().write(try FHIRElementXMLReader(index: index).read(written))))
            if let difference = valueDifference(officialXML, back, path: "", quirks: &quirks) {
                problems.append("JSON→XML \(difference)")
            }
            if let difference = valueDifference(withoutHTEST(try JSONTree.parse(json)), officialXML, path: "", quirks: &quirks) {
                problems.append("XML→JSON \(difference)")
            }
        } catch {
            problems.append("failed: \(error)")
        }
        return (problems, writtenXML, quirks.count)
    }

    /// The first difference between two trees as values, or nil; decimals spelled with more or
    /// fewer trailing zeros are recorded in `quirks` instead.
    static func valueDifference(_ lhs: JSONTree, _ rhs: JSONTree, path: String, quirks: inout [String]) -> String? {
        switch (lhs, rhs) {
        case (.object(let left), .object(let right)):
            for key in Set(left.keys).union(right.keys).sorted() {
                guard let a = left[key], let b = right[key] else { return "\(path).\(key): only in one" }
                if let difference = valueDifference(a, b, path: path + "." + key, quirks: &quirks) { return difference }
            }
            return nil
        case (.array(let left), .array(let right)):
            guard left.count == right.count else { return "\(path): \(left.count) vs \(right.count) elements" }
            for (position, (a, b)) in zip(left, right).enumerated() {
                if let difference = valueDifference(a, b, path: "\(path)[\(position)]", quirks: &quirks) { return difference }
            }
            return nil
        case (.number(let a), .number(let b)) where a != b:
            guard trimmed(a) == trimmed(b) else { return "\(path): \(a) vs \(b)" }
            quirks.append("\(path): \(a) vs \(b)")
            return nil
        case (.string(let a), .string(let b)):
            return CrossFormatCorpusTests.sameNarrative(path: path, lhs: a, rhs: b) ? nil : "\(path): \"\(a.prefix(60))\" vs \"\(b.prefix(60))\""
        default:
            return lhs == rhs ? nil : "\(path): \(lhs) vs \(rhs)"
        }
    }

    /// The tree without the HTEST ("test health data") coding in the root's `meta.tag` or
    /// `meta.security`: a corpus quirk, the pairs' JSON carries it as a tag, or not at all (most
    /// conformance resources), while the XML carries it as a security label.
    static func withoutHTEST(_ tree: JSONTree) -> JSONTree {
        guard case .object(var root) = tree, case .object(var meta)? = root["meta"] else { return tree }
        for list in ["tag", "security"] {
            guard case .array(let codings)? = meta[list] else { continue }
            let kept = codings.filter { coding in
                guard case .object(let fields) = coding else { return true }
                return fields["code"] != .string("HTEST")
            }
            meta[list] = kept.isEmpty ? nil : .array(kept)
        }
        root["meta"] = meta.isEmpty ? nil : .object(meta)
        return .object(root)
    }

    /// A decimal without trailing zeros in its fraction (`12500.00` → `12500`).
    static func trimmed(_ lexeme: String) -> String {
        guard lexeme.contains("."), !lexeme.contains(where: { $0 == "e" || $0 == "E" }) else { return lexeme }
        var text = Substring(lexeme)
        while text.last == "0" { text = text.dropLast() }
        if text.last == "." { text = text.dropLast() }
        return String(text)
    }

    @Test func everyPairOfEveryTypeConvertsBothWaysAndTheXMLValidates() throws {
        guard let index = Self.index else {
            print(SharedCorpus.absentMessage)
            return
        }
        var found: [(key: String, json: URL, xml: URL)] = []
        for (jsonFolder, xmlFolder) in Self.pairFolders {
            let jsonURL = try #require(SharedCorpus.url(jsonFolder))
            let xmlURL = try #require(SharedCorpus.url(xmlFolder))
            let xmlNames = Set(try FileManager.default.contentsOfDirectory(atPath: xmlURL.path))
            for name in try FileManager.default.contentsOfDirectory(atPath: jsonURL.path).sorted()
            where name.hasSuffix(".json") && xmlNames.contains(String(name.dropLast(5)) + ".xml") {
                found.append(("\(jsonFolder)/\(name)", jsonURL.appendingPathComponent(name),
                              xmlURL.appendingPathComponent(String(name.dropLast(5)) + ".xml")))
            }
        }
        let pairs = found
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ivig-element-xml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let results = ConcurrentResults<(problems: [String], written: URL?, quirks: Int)>(count: pairs.count)
        DispatchQueue.concurrentPerform(iterations: pairs.count) { position in
            let pair = pairs[position]
            guard let json = try? [UInt8](Data(contentsOf: pair.json)), let xml = try? [UInt8](Data(contentsOf: pair.xml)) else {
                results.set(position, (["unreadable"], nil, 0))
                return
            }
            let (problems, writtenXML, quirks) = Self.compare(json: json, xml: xml, index: index)
            var written: URL?
            if let writtenXML {
                let url = folder.appendingPathComponent("\(position).xml")
                if FileManager.default.createFile(atPath: url.path, contents: Data(writtenXML)) { written = url }
            }
            results.set(position, (problems, written, quirks))
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
        let quirky = (0..<pairs.count).filter { (results.values[$0]?.quirks ?? 0) > 0 }.count
        print("element model, JSON<->XML: \(pairs.count) pairs, \(listed) listed as disagreeing, \(misses.count) misses,"
              + " \(quirky) pairs with decimals spelled with other trailing zeros in the two official files")
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
        var found: [URL] = []
        for folder in ["fhir-r4/published-json-all", "fhir-r4/published-json"] {
            let url = try #require(SharedCorpus.url(folder))
            found += try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
                .filter { $0.hasSuffix(".json") }.map { url.appendingPathComponent($0) }
        }
        let files = found
        let results = ConcurrentResults<String>(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { position in
            let name = files[position].lastPathComponent
            do {
                let json = try [UInt8](Data(contentsOf: files[position]))
                let xml = try FHIRElementXMLWriter().write(try FHIRElementJSONReader(index: index).read(json))
                let back = try FHIRElementJSONWriter(pretty: true).write(try FHIRElementXMLReader(index: index).read(xml))
                if let difference = try JSONTree.parse(json).firstDifference(from: JSONTree.parse(back)) {
                    results.set(position, "\(name): \(difference)")
                }
            } catch {
                results.set(position, "\(name): \(error)")
            }
        }
        var misses: [String] = []
        for (position, file) in files.enumerated() {
            let name = file.lastPathComponent
            let problem = results.values[position]
            if let reason = Self.unreadableExamples[name] {
                if problem?.contains("empty") != true { misses.append("\(name): listed (\(reason)) but: \(problem ?? "read")") }
            } else if let problem {
                misses.append(problem)
            }
        }
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
