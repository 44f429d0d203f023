import FHIRCore
import FHIRElementModel
import FHIRPackages
import FHIRTestSupport
import Foundation
import Testing

@testable import FHIRXML

/// The element model's XML reader reads most documents on its fast path (a SAX pass into a flat
/// document, no `XMLElement` tree) and leaves the rest to the full read. Held here: on the
/// official corpus both paths give the same tree, locations included; a document the fast path
/// gives up on gets the full read's diagnostics, with line, column and FHIRPath.
@Suite struct ElementXMLFastPathTests {
    static let index: FHIRLayoutIndex? = FHIRLayoutIndex(FHIRDefinitions.baseR4)

    static func readers() throws -> (fast: FHIRElementXMLReader, full: FHIRElementXMLReader) {
        let fast = FHIRElementXMLReader(index: try #require(index))
        var full = fast
        full.useFastPath = false
        return (fast, full)
    }

    /// The first difference between two trees, nil when they are the same in everything the
    /// model holds (name, type, kind, value, definition, location, choice, repetition, children);
    /// locations are left out when `locations` is false.
    static func difference(
        _ lhs: FHIRElement, _ rhs: FHIRElement, path: String = "", locations: Bool = true
    ) -> String? {
        let here = path.isEmpty ? lhs.name : path + "." + lhs.name
        if lhs.name != rhs.name || lhs.typeName != rhs.typeName || lhs.kind != rhs.kind {
            return "\(here): \(lhs.name) \(lhs.typeName) \(lhs.kind) ≠ \(rhs.name) \(rhs.typeName) \(rhs.kind)"
        }
        if lhs.value != rhs.value { return "\(here): value \(lhs.value ?? "nil") ≠ \(rhs.value ?? "nil")" }
        if lhs.definitionPath != rhs.definitionPath || lhs.isChoice != rhs.isChoice || lhs.repeats != rhs.repeats {
            return "\(here): definition, choice or repetition differ"
        }
        if locations && (lhs.location?.line != rhs.location?.line || lhs.location?.column != rhs.location?.column) {
            return "\(here): at \(String(describing: lhs.location)) ≠ \(String(describing: rhs.location))"
        }
        if lhs.children.count != rhs.children.count {
            return "\(here): \(lhs.children.map(\.name)) ≠ \(rhs.children.map(\.name))"
        }
        for (left, right) in zip(lhs.children, rhs.children) {
            if let found = difference(left, right, path: here, locations: locations) { return found }
        }
        return nil
    }

    static func xmlFiles() throws -> [URL] {
        var files: [URL] = []
        for folder in ["fhir-r4/all-types/xml", "fhir-r4/xml"] {
            let url = try #require(SharedCorpus.url(folder))
            for name in try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
            where name.hasSuffix(".xml") {
                files.append(url.appendingPathComponent(name))
            }
        }
        return files
    }

    @Test func fastPathReadsEveryCorpusDocumentAsTheFullReadDoes() throws {
        guard Self.index != nil, SharedCorpus.root != nil else {
            print(SharedCorpus.absentMessage)
            return
        }
        let (fast, full) = try Self.readers()
        let files = try Self.xmlFiles()
        // Per document: read by the full read, read by the fast path, what differs.
        let results = ConcurrentResults<(full: Bool, fast: Bool, problems: [String])>(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { position in
            let file = files[position]
            guard let bytes = FileManager.default.contents(atPath: file.path).map(Array.init) else { return }
            let fullTree = try? full.read(bytes)
            let fastTree = fast.fastRead(bytes)
            var problems: [String] = []
            switch (fullTree, fastTree) {
            case (let full?, let fast?):
                if let found = Self.difference(fast, full) { problems.append("\(file.lastPathComponent): \(found)") }
            case (nil, _?): problems.append("\(file.lastPathComponent): read fast, refused by the full read")
            case (_?, nil): problems.append("\(file.lastPathComponent): left to the full read")
            case (nil, nil): break
            }
            // The same document on one line, after a declaration: columns counted along a long line.
            let compact = Self.onOneLine(bytes)
            switch (try? full.read(compact), fast.fastRead(compact)) {
            case (let compactFull?, let compactFast?):
                if let found = Self.difference(compactFast, compactFull) {
                    problems.append("\(file.lastPathComponent) on one line: \(found)")
                }
            case (_?, nil): problems.append("\(file.lastPathComponent) on one line: left to the full read")
            default: break
            }
            results.set(position, (fullTree != nil, fastTree != nil, problems))
        }
        let outcomes = results.values.compactMap { $0 }
        let readFully = outcomes.filter(\.full).count
        let readFast = outcomes.filter(\.fast).count
        let problems = outcomes.flatMap(\.problems)
        #expect(files.count > 800 && readFully > 800, "\(files.count) documents, \(readFully) read")
        #expect(readFast == readFully)
        #expect(problems.isEmpty, "\(problems.count): \(problems.prefix(10).joined(separator: "\n"))")
    }

    /// The document with the line breaks between its tags taken out (a standard declaration
    /// kept in front, on the same line), outside narratives as well as inside.
    static func onOneLine(_ bytes: [UInt8]) -> [UInt8] {
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasPrefix("<?xml"), let end = text.range(of: "?>") { text = String(text[end.upperBound...]) }
        let squeezed = text.replacingOccurrences(of: ">\\s*\\n\\s*<", with: "><", options: .regularExpression)
        return Array(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + squeezed).utf8)
    }

    /// A corpus document with one thing broken, at a known line; what the reader reports for
    /// it must be what the full read reports, with that line, the column and the FHIRPath.
    struct Breakage: Sendable {
        var file: String
        /// The text to find in the document (its first occurrence) and what to put there.
        var find: String
        var replace: String
        var code: FHIRDiagnostic.Code
        var fhirPath: String
        /// The line reported is the one of this text in the broken document.
        var lineOf: String
        var column: Int
    }

    static let breakages: [Breakage] = [
        Breakage(
            file: "fhir-r4/all-types/xml/encounter-example.xml", find: "<status value=\"in-progress\"/>",
            replace: "<status value=\"in-progress\"/>\n  <mood value=\"calm\"/>", code: .unknownElement,
            fhirPath: "Encounter.mood", lineOf: "<mood value", column: 3),
        Breakage(
            file: "fhir-r4/all-types/xml/encounter-example.xml", find: "<status value=\"in-progress\"/>",
            replace: "<status value=\"\"/>", code: .emptyValue, fhirPath: "Encounter.status",
            lineOf: "<status value", column: 3),
        Breakage(
            file: "fhir-r4/all-types/xml/immunization-example.xml", find: "<occurrenceDateTime value=\"2013-01-10\"/>",
            replace: "<occurrenceDateTime value=\"2013-01-32\"/>", code: .invalidPrimitive,
            fhirPath: "Immunization.occurrenceDateTime", lineOf: "<occurrenceDateTime", column: 2),
        Breakage(
            file: "fhir-r4/all-types/xml/immunization-example.xml", find: "<occurrenceDateTime value=\"2013-01-10\"/>",
            replace: "<occurrenceDateTime value=\"2013-01-10\"/>\n  <occurrenceString value=\"Jan\"/>",
            code: .multipleChoices, fhirPath: "Immunization.occurrenceString", lineOf: "<occurrenceString",
            column: 3),
    ]

    static func broken(_ breakage: Breakage) throws -> [UInt8]? {
        guard let url = SharedCorpus.url(breakage.file), let data = FileManager.default.contents(atPath: url.path)
        else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        let range = try #require(text.range(of: breakage.find), "\(breakage.find) in \(breakage.file)")
        return Array(text.replacingCharacters(in: range, with: breakage.replace).utf8)
    }

    static func line(of needle: String, in bytes: [UInt8]) throws -> Int {
        let text = String(decoding: bytes, as: UTF8.self)
        let range = try #require(text.range(of: needle))
        return text[..<range.lowerBound].filter { $0 == "\n" }.count + 1
    }

    @Test(arguments: breakages)
    func aBrokenCorpusDocumentIsReportedAsTheFullReadReportsIt(_ breakage: Breakage) throws {
        guard Self.index != nil, let bytes = try Self.broken(breakage) else {
            print(SharedCorpus.absentMessage)
            return
        }
        let (fast, full) = try Self.readers()
        #expect(fast.fastRead(bytes) == nil)
        let reported = #expect(throws: FHIRDiagnostic.self) { try fast.read(bytes) }
        let expected = #expect(throws: FHIRDiagnostic.self) { try full.read(bytes) }
        let line = try Self.line(of: breakage.lineOf, in: bytes)
        #expect(reported?.code == breakage.code)
        #expect(reported?.fhirPath == breakage.fhirPath)
        #expect(reported?.location?.line == line && reported?.location?.column == breakage.column)
        #expect(reported?.message == expected?.message && reported?.fhirPath == expected?.fhirPath)
        #expect(reported?.location?.line == expected?.location?.line)
    }

    @Test func lenientReadOfABrokenCorpusDocumentWarnsWithThePlace() throws {
        guard Self.index != nil, let bytes = try Self.broken(Self.breakages[0]) else {
            print(SharedCorpus.absentMessage)
            return
        }
        let (fast, full) = try Self.readers()
        let (resource, dropped) = try fast.read(bytes, lenient: true)
        let (fullResource, fullDropped) = try full.read(bytes, lenient: true)
        #expect(dropped.count == 1 && dropped.first?.severity == .warning)
        #expect(dropped.first?.fhirPath == "Encounter.mood")
        #expect(dropped.first?.location?.line == (try Self.line(of: "<mood value", in: bytes)))
        #expect(dropped.map(\.message) == fullDropped.map(\.message))
        #expect(Self.difference(resource, fullResource) == nil)
        #expect(resource.child(named: "status")?.value == "in-progress")
    }

    @Test func locationsCountColumnsAfterADeclarationOnTheSameLine() throws {
        guard Self.index != nil else { return }
        let (fast, full) = try Self.readers()
        let text =
            #"<?xml version="1.0" encoding="UTF-8"?><Patient xmlns="http://hl7.org/fhir"><active value="true"/>"#
            + "<name><given value=\"Ä\"/><given value=\"B\"/></name></Patient>"
        let bytes = Array(text.utf8)
        let tree = try #require(fast.fastRead(bytes))
        #expect(tree.location?.line == 1 && tree.location?.column == 39)
        let given = try #require(tree.child(named: "name")).children(named: "given")
        // Columns count characters: "Ä" is two bytes and one column.
        #expect(given.map { $0.location?.column } == [104, 122])
        #expect(Self.difference(tree, try full.read(bytes)) == nil)
    }

    @Test func narrativeIsKeptAsWrittenWhenItStandsAloneElseAsSerialized() throws {
        guard Self.index != nil else { return }
        let (fast, full) = try Self.readers()
        // Written otherwise than the serializer writes it (single quotes, a raw `>`, `<br/>`),
        // but a document on its own: kept as written.
        let alone = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p class='x'>a > b<br/></p><p></p></div>"
        // A prefix bound outside it: not a document on its own, so serialized.
        let bound = "<h:div><h:p title=\"t\">x</h:p></h:div>"
        for (div, expected) in [
            (alone, alone),
            (bound, "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p title=\"t\">x</p></div>"),
        ] {
            let document =
                "<Patient xmlns=\"http://hl7.org/fhir\" xmlns:h=\"http://www.w3.org/1999/xhtml\">\n"
                + "  <text><status value=\"generated\"/>\n    \(div)</text>\n  <active value=\"true\"/>\n</Patient>"
            let bytes = Array(document.utf8)
            let tree = try #require(fast.fastRead(bytes))
            let narrative = try #require(tree.child(named: "text")?.child(named: "div"))
            #expect(narrative.value == expected)
            #expect(narrative.location?.line == 3 && narrative.location?.column == 5)
            #expect(Self.difference(tree, try full.read(bytes)) == nil)
        }
    }

    /// Small breakages of corpus documents, line by line (a line dropped, doubled, moved down,
    /// a value emptied, an attribute added), each read both ways, strictly and leniently: the
    /// fast path reads a document only when the full read accepts it without a word, and then
    /// gives the same tree; every other outcome (refusal, warnings) is the full read's.
    @Test func brokenCorpusDocumentsGetTheFullReadsAnswer() throws {
        guard Self.index != nil, SharedCorpus.root != nil else {
            print(SharedCorpus.absentMessage)
            return
        }
        let (fast, full) = try Self.readers()
        let files = try Self.xmlFiles().enumerated().filter { $0.offset % 16 == 0 }.map(\.element)
        let results = ConcurrentResults<(variants: Int, readFast: Int, problems: [String])>(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { position in
            let file = files[position]
            guard let data = FileManager.default.contents(atPath: file.path) else { return }
            var lines = String(decoding: data, as: UTF8.self).components(separatedBy: "\n")
            if lines.last == "" { lines.removeLast() }
            var variants = 0
            var readFast = 0
            var problems: [String] = []
            for line in stride(from: 1, to: lines.count - 1, by: max(1, lines.count / 8)) {
                for (name, broken) in Self.breakages(of: lines, at: line) {
                    variants += 1
                    let bytes = Array(broken.joined(separator: "\n").utf8)
                    let place = "\(file.lastPathComponent) line \(line + 1) \(name)"
                    let fastTree = fast.fastRead(bytes)
                    let strict = Result { try full.read(bytes) }
                    switch (fastTree, strict) {
                    case (let tree?, .success(let expected)):
                        readFast += 1
                        if let found = Self.difference(tree, expected) { problems.append("\(place): \(found)") }
                    case (_?, .failure): problems.append("\(place): read fast, refused by the full read")
                    case (nil, _): break
                    }
                    for lenient in [false, true] {
                        let answer = Result { try fast.read(bytes, lenient: lenient) }
                        let expected = Result { try full.read(bytes, lenient: lenient) }
                        switch (answer, expected) {
                        case (.success(let got), .success(let want)):
                            if got.dropped.map(\.description) != want.dropped.map(\.description) {
                                problems.append("\(place): other warnings")
                            } else if let found = Self.difference(got.resource, want.resource) {
                                problems.append("\(place) lenient \(lenient): \(found)")
                            }
                        case (.failure(let got), .failure(let want)):
                            if "\(got)" != "\(want)" { problems.append("\(place): \(got) ≠ \(want)") }
                        default: problems.append("\(place) lenient \(lenient): read by one path only")
                        }
                    }
                }
            }
            results.set(position, (variants, readFast, problems))
        }
        let outcomes = results.values.compactMap { $0 }
        let problems = outcomes.flatMap(\.problems)
        #expect(outcomes.count == files.count && outcomes.map(\.variants).reduce(0, +) > 1000)
        // Some breakages leave a valid document (a repeated element doubled): those go fast.
        #expect(outcomes.map(\.readFast).reduce(0, +) > 0)
        #expect(problems.isEmpty, "\(problems.count): \(problems.prefix(10).joined(separator: "\n"))")
    }

    /// The broken variants of a document at one line, by name.
    static func breakages(of lines: [String], at line: Int) -> [(String, [String])] {
        var variants: [(String, [String])] = []
        var dropped = lines
        dropped.remove(at: line)
        variants.append(("dropped", dropped))
        var doubled = lines
        doubled.insert(lines[line], at: line)
        variants.append(("doubled", doubled))
        var moved = lines
        moved.swapAt(line, line + 1)
        variants.append(("moved down", moved))
        if let range = lines[line].range(of: #"value="[^"]*""#, options: .regularExpression) {
            var emptied = lines
            emptied[line].replaceSubrange(range, with: #"value="""#)
            variants.append(("value emptied", emptied))
        }
        if let range = lines[line].range(of: #"<[A-Za-z]+"#, options: .regularExpression) {
            var attributed = lines
            attributed[line].insert(contentsOf: #" extra="1""#, at: range.upperBound)
            variants.append(("attribute added", attributed))
        }
        return variants
    }
}
