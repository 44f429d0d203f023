import FHIRCore
import FHIRJSON
import FHIRTestSupport
import Foundation
import Testing

@testable import FHIRXML

/// The generated fast path and the Codable path agree on XML: on every corpus document (the
/// official XML, and the JSON examples written as XML) the fast path either gives up or decodes
/// the same model, never accepts what the Codable path refuses, and writes the same bytes.
@Suite struct XMLFastPathEquivalenceTests {
    static var codablePathDecoder: FHIRXMLDecoder {
        var decoder = FHIRXMLDecoder()
        decoder.useFastPath = false
        return decoder
    }

    static var codablePathEncoder: FHIRXMLEncoder {
        var encoder = FHIRXMLEncoder()
        encoder.useFastPath = false
        return encoder
    }

    /// The official XML, and every JSON example the models take, written as XML.
    static func documents() throws -> [(name: String, bytes: [UInt8])] {
        var documents: [(String, [UInt8])] = []
        for folder in ["fhir-r4/xml", "fhir-r4/fhir-test-cases/xml"] {
            guard let url = SharedCorpus.url(folder) else { continue }
            for name in try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
            where name.hasSuffix(".xml") {
                documents.append(("\(folder)/\(name)", try [UInt8](Data(contentsOf: url.appendingPathComponent(name)))))
            }
        }
        for folder in ["fhir-r4/json", "fhir-r4/published-json", "fhir-r4/fhir-test-cases/json"] {
            guard let url = SharedCorpus.url(folder) else { continue }
            for name in try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
            where name.hasSuffix(".json") {
                let json = try [UInt8](Data(contentsOf: url.appendingPathComponent(name)))
                guard let resource = try? FHIRJSONDecoder().decode(AnyResource.self, from: json),
                    let xml = try? Self.codablePathEncoder.encode(resource)
                else { continue }
                documents.append(("\(folder)/\(name) as XML", xml))
            }
        }
        return documents
    }

    @Test func theCorpusDecodesAndEncodesAlikeOnBothPaths() throws {
        let documents = try Self.documents()
        guard !documents.isEmpty else {
            print(SharedCorpus.absentMessage)
            return
        }
        var fastDecodes = 0, fastEncodes = 0
        var failures: [String] = []
        for (name, bytes) in documents {
            let codable = try? Self.codablePathDecoder.decode(AnyResource.self, from: bytes)
            let fast = FHIRXMLDecoder().fastDecode(AnyResource.self, from: bytes)
            guard let codable else {
                if fast != nil { failures.append("\(name): the fast path accepted what the Codable path refuses") }
                continue
            }
            if let fast {
                fastDecodes += 1
                if fast != codable { failures.append("\(name): the fast path decoded another model") }
            }
            let expected = try Self.codablePathEncoder.encode(codable)
            if let written = XMLFastWriter.encode(codable) {
                fastEncodes += 1
                if written != expected {
                    failures.append(
                        "\(name): the fast path wrote other bytes:\n"
                            + String(decoding: written.prefix(3000), as: UTF8.self) + "\nexpected\n"
                            + String(decoding: expected.prefix(3000), as: UTF8.self))
                }
            }
        }
        print(
            "XML fast path: \(documents.count) documents, \(fastDecodes) decoded and \(fastEncodes) encoded on the fast path"
        )
        for failure in failures.prefix(10) { print("  FAIL \(failure)") }
        #expect(failures.isEmpty, "\(failures.count) documents differ; the first: \(failures.first?.prefix(300) ?? "")")
        #expect(fastDecodes > 400 && fastEncodes > 400, "the fast path should take the common case")
    }

    @Test func bundleStreamsGiveTheSameEntriesOnBothPaths() throws {
        let bundles = try Self.documents().filter {
            String(decoding: $0.bytes.prefix(300), as: UTF8.self).contains("<Bundle")
        }
        guard !bundles.isEmpty else {
            print(SharedCorpus.absentMessage)
            return
        }
        var entries = 0
        for (name, bytes) in bundles {
            let fast = try? FHIRXMLBundleStream(bytes: bytes)
            let codable = try? FHIRXMLBundleStream(bytes: bytes, decoder: Self.codablePathDecoder)
            var fastItems: [FHIRXMLBundleStream.Item] = [], codableItems: [FHIRXMLBundleStream.Item] = []
            var fastError: FHIRDiagnostic?, codableError: FHIRDiagnostic?
            do { while let item = try fast?.next() { fastItems.append(item) } } catch { fastError = error }
            do { while let item = try codable?.next() { codableItems.append(item) } } catch { codableError = error }
            #expect(fastItems.map(\.entry) == codableItems.map(\.entry), "\(name)")
            #expect(fastItems.map(\.line) == codableItems.map(\.line), "\(name)")
            #expect(fastError?.description == codableError?.description, "\(name)")
            entries += fastItems.count
        }
        print("XML Bundle streams: \(bundles.count) Bundles, \(entries) entries alike on both paths")
        #expect(entries > 100)
    }

    @Test func parsedBundleEntriesDecodeAlikeOnBothPaths() throws {
        let bundles = try Self.documents().filter {
            String(decoding: $0.bytes.prefix(300), as: UTF8.self).contains("<Bundle")
        }
        guard !bundles.isEmpty else {
            print(SharedCorpus.absentMessage)
            return
        }
        var entries = 0
        for (name, bytes) in bundles {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("fast-entries-\(UUID()).xml")
            try Data(bytes).write(to: url)
            defer { try? FileManager.default.removeItem(at: url) }
            let fastReader = try FHIRXMLBundleEntryReader(path: url.path)
            let treeReader = try FHIRXMLBundleEntryReader(path: url.path)
            treeReader.useFastPath = false
            while let fast = try fastReader.next() {
                let tree = try #require(try treeReader.next())
                #expect(fast.line == tree.line && fast.column == tree.column, "\(name)")
                for lenient in [false, true] {
                    let a = Result { () throws(FHIRDiagnostic) in try fast.decode(lenient: lenient) }
                    let b = Result { () throws(FHIRDiagnostic) in try tree.decode(lenient: lenient) }
                    switch (a, b) {
                    case (.success(let x), .success(let y)):
                        #expect(
                            x.entry == y.entry && x.dropped.map(\.description) == y.dropped.map(\.description),
                            "\(name)")
                    case (.failure(let x), .failure(let y)):
                        #expect(x.description == y.description, "\(name)")
                    default:
                        Issue.record("\(name): entry \(fast.index) decodes on one path only")
                    }
                }
                // Written again, the entry reads back as the same entry.
                let text = fast.xmlText()
                let wrapped = Array(#"<Bundle xmlns="http://hl7.org/fhir">"#.utf8) + text + Array("</Bundle>".utf8)
                if let decoded = try? fast.decode(lenient: true) {
                    let bundle = try FHIRXMLDecoder().decodeLeniently(Bundle.self, from: wrapped).value
                    #expect(bundle.entry.first == decoded.entry, "\(name): xmlText()")
                }
                entries += 1
            }
            #expect(try treeReader.next() == nil)
        }
        #expect(entries > 100)
    }

    static let narrative = """
        <Patient xmlns="http://hl7.org/fhir"><text><status value="generated"/><div xmlns="http://www.w3.org/1999/xhtml" \
        xml:lang="en"><p class="a&amp;b" title="x&#10;y">A &amp; B &lt; C<br/>é<!-- c --><![CDATA[<raw>]]></p>\
        <x:y xmlns:x="urn:x" x:z="1"/><p xmlns="">no namespace</p></div></text></Patient>
        """

    @Test(arguments: [
        narrative,
        "<Patient xmlns=\"http://hl7.org/fhir\"><id value=\"p\"/><name><given value=\"A\"/><given id=\"g\"><extension url=\"u\"><valueCode value=\"c\"/></extension></given></name></Patient>",
        "<Observation xmlns=\"http://hl7.org/fhir\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"x\"><valueInteger value=\"-0\"/></Observation>",
        "<Bundle xmlns=\"http://hl7.org/fhir\"><entry><resource><Patient><active value=\"true\"/></Patient></resource></entry></Bundle>",
        "<Patient xmlns=\"http://hl7.org/fhir\"><name><family value=\"A &amp; &quot;B&quot;&#10;\"/></name></Patient>",
        // Escapes before, inside and after the writer's 8-byte words, and in the overlapping last one.
        "<Patient xmlns=\"http://hl7.org/fhir\"><name><text value=\"abcdefg&amp;hijklmnop&lt;qrstuvwx&quot;yz and a tail\"/>"
            + "<family value=\"abcdefghi&gt;\"/><given value=\"1234567&#9;\"/><given value=\"12345678901234&#13;\"/></name></Patient>",
        "<Patient xmlns=\"http://hl7.org/fhir\"><maritalStatus/></Patient>",
    ])
    func edgeCasesDecodeAlike(xml: String) throws {
        let bytes = Array(xml.utf8)
        let codable = try Self.codablePathDecoder.decode(AnyResource.self, from: bytes)
        let fast = try #require(
            FHIRXMLDecoder().fastDecode(AnyResource.self, from: bytes), "the fast path should take this")
        #expect(fast == codable)
        #expect(XMLFastWriter.encode(codable) == (try Self.codablePathEncoder.encode(codable)))
    }

    @Test(arguments: [
        "<Patient xmlns=\"http://hl7.org/fhir\"><gender value=\"male\"/><name><family value=\"F\"/></name></Patient>",
        "<Patient xmlns=\"http://hl7.org/fhir\"><name><given value=\"A\"/><family value=\"F\"/><given value=\"B\"/></name></Patient>",
        "<Patient xmlns=\"http://hl7.org/fhir\"><gender value=\"male\"/><gender value=\"female\"/></Patient>",
        "<Patient xmlns=\"http://hl7.org/fhir\"><gender value=\"\"/></Patient>",
        "<Patient xmlns=\"http://hl7.org/fhir\"><gender value=\"male\" colour=\"blue\"/></Patient>",
        "<Patient xmlns=\"http://hl7.org/fhir\"><gender value=\"male\">male</gender></Patient>",
        "<Patient xmlns=\"http://hl7.org/fhir\"><name value=\"x\"/></Patient>",
        "<Patient xmlns=\"http://hl7.org/fhir\" id=\"x\"/>",
        "<Patient xmlns=\"http://hl7.org/fhir\"><favouriteColour value=\"blue\"/></Patient>",
        "<Patient xmlns=\"http://hl7.org/fhir\"><text><div>no namespace</div></text></Patient>",
        "<Patient xmlns=\"http://hl7.org/fhir\"><active value=\"yes\"/></Patient>",
        "<Patient xmlns=\"http://hl7.org/fhir\"><multipleBirthInteger value=\"007\"/></Patient>",
        "<Patient xmlns=\"http://hl7.org/fhir\"><deceasedBoolean value=\"true\"/><deceasedDateTime value=\"2020\"/></Patient>",
        "<Patient xmlns=\"http://hl7.org/fhir\"><contained><Patient/><Patient/></contained></Patient>",
        "<Patient xmlns=\"http://hl7.org/fhir\"><contained a=\"b\"><Patient/></contained></Patient>",
        "<Patient xmlns=\"http://hl7.org/fhir\"><gender/></Patient>",
        "<Patient><id value=\"p\"/></Patient>",
        "<Patient xmlns=\"http://hl7.org/fhir\"><x:y xmlns:x=\"urn:x\"/></Patient>",
        "<!DOCTYPE Patient><Patient xmlns=\"http://hl7.org/fhir\"/>",
        "<Encounter xmlns=\"http://hl7.org/fhir\"/>",
    ])
    func theFastPathLeavesTheUnusualToTheCodablePath(xml: String) throws {
        #expect(FHIRXMLDecoder().fastDecode(AnyResource.self, from: Array(xml.utf8)) == nil)
    }

    /// The fast parser reads a small document with blanks after it and stops at the end of the
    /// root element when only blanks follow; whatever else follows is still parsed: allowed
    /// content decodes, anything else leaves the document to the full parse, which refuses it.
    static let patient = "<Patient xmlns=\"http://hl7.org/fhir\"><id value=\"p\"/><active value=\"true\"/></Patient>"

    @Test(arguments: [
        "", "\n", " \r\n\t ", "<!-- a comment after the root -->\n", "<?pi after the root?>",
        "\n" + String(repeating: " ", count: 300),
    ])
    func whatFollowsTheRootElementAndIsAllowedDecodes(tail: String) throws {
        let bytes = Array((Self.patient + tail).utf8)
        let fast = try #require(
            FHIRXMLDecoder().fastDecode(AnyResource.self, from: bytes), "tail \(tail.debugDescription)")
        #expect(fast == (try Self.codablePathDecoder.decode(AnyResource.self, from: bytes)))
    }

    @Test(arguments: ["x", " <Patient/>", "\n</Patient>", "  &amp;", "<!-- unterminated", "<", "  ]]>"])
    func whatFollowsTheRootElementAndIsNotAllowedIsRefused(tail: String) throws {
        let bytes = Array((Self.patient + tail).utf8)
        #expect(FHIRXMLDecoder().fastDecode(AnyResource.self, from: bytes) == nil, "tail \(tail.debugDescription)")
        let error = try #require(throws: FHIRDiagnostic.self) {
            try FHIRXMLDecoder().decode(AnyResource.self, from: bytes)
        }
        #expect(error.code == .syntax, "tail \(tail.debugDescription): \(error.message)")
        #expect(error.location != nil)
    }

    /// libxml2 alone takes a NUL byte for the end of its input: what follows the root element
    /// after one would be dropped without a word (a test of its own: a NUL in a test argument
    /// garbles the test log).
    @Test func aNULByteAnywhereIsRefusedWithItsPlace() throws {
        let afterTheRoot = Array((Self.patient + "\n\u{0}<Patient/>").utf8)
        let inAValue = Array(Self.patient.replacingOccurrences(of: "value=\"p\"", with: "value=\"p\u{0}q\"").utf8)
        for (bytes, line, column) in [(afterTheRoot, 2, 1), (inAValue, 1, 50)] {
            #expect(FHIRXMLDecoder().fastDecode(AnyResource.self, from: bytes) == nil)
            let error = try #require(throws: FHIRDiagnostic.self) {
                try FHIRXMLDecoder().decode(AnyResource.self, from: bytes)
            }
            #expect(error.code == .syntax)
            #expect(error.message.contains("NUL"))
            #expect(
                error.location?.line == line && error.location?.column == column,
                "\(String(describing: error.location))")
        }
    }

    @Test func aNarrativeNestedPastTheDepthLimitIsRefusedOnBothPaths() throws {
        var limits = FHIRXMLLimits.default
        limits.maxDepth = 20
        let deep = String(repeating: "<span>", count: 20) + "x" + String(repeating: "</span>", count: 20)
        let xml =
            "<Patient xmlns=\"http://hl7.org/fhir\"><text><status value=\"generated\"/>"
            + "<div xmlns=\"http://www.w3.org/1999/xhtml\">\(deep)</div></text></Patient>"
        #expect(FHIRXMLDecoder(limits: limits).fastDecode(AnyResource.self, from: Array(xml.utf8)) == nil)
        let error = try #require(throws: FHIRDiagnostic.self) {
            try FHIRXMLDecoder(limits: limits).decode(AnyResource.self, from: Array(xml.utf8))
        }
        #expect(error.code == .tooDeep)
    }

    /// A Patient whose longest attribute value is 20 bytes and longest text node 15 bytes.
    static let stringsNearTheLimit =
        "<Patient xmlns=\"http://hl7.org/fhir\"><id value=\"abcdefghijklmnopqrst\"/>"
        + "<text><status value=\"generated\"/><div xmlns=\"http://www.w3.org/1999/xhtml\"><p>fifteen bytes..</p></div></text>"
        + "</Patient>"

    @Test(arguments: [(20, true), (19, false), (15, false)])
    func theFastPathChecksStringsOnlyWhereTheDocumentCouldHoldALongOne(maxStringBytes: Int, fastDecodes: Bool) throws {
        var limits = FHIRXMLLimits.default
        limits.maxStringBytes = maxStringBytes
        let bytes = Array(Self.stringsNearTheLimit.utf8)
        let decoder = FHIRXMLDecoder(limits: limits)
        // Within the limit the fast path decodes (the document is longer than the limit, so
        // strings were checked); past it the fast path leaves the document to the full parse,
        // which reports the string with its place.
        #expect((decoder.fastDecode(AnyResource.self, from: bytes) != nil) == fastDecodes)
        var full = decoder
        full.useFastPath = false
        if fastDecodes {
            #expect(try decoder.fastDecode(AnyResource.self, from: bytes) == full.decode(AnyResource.self, from: bytes))
        } else {
            let error = try #require(throws: FHIRDiagnostic.self) { try full.decode(AnyResource.self, from: bytes) }
            #expect(error.code == .tooLarge)
            #expect(error.message.contains("(limit maxStringBytes = "))
        }
    }

    @Test func aTextRunSplitIntoPiecesCountsWhole() throws {
        // libxml2 hands long text to SAX in pieces; the run is counted across them.
        let text = String(repeating: "x", count: 100_000)
        let xml =
            "<Patient xmlns=\"http://hl7.org/fhir\"><text><status value=\"generated\"/>"
            + "<div xmlns=\"http://www.w3.org/1999/xhtml\">\(text)</div></text></Patient>"
        var limits = FHIRXMLLimits.default
        limits.maxStringBytes = 99_999
        #expect(FHIRXMLDecoder(limits: limits).fastDecode(AnyResource.self, from: Array(xml.utf8)) == nil)
        limits.maxStringBytes = 100_000
        #expect(FHIRXMLDecoder(limits: limits).fastDecode(AnyResource.self, from: Array(xml.utf8)) != nil)
    }

    static let xhtml = #"<div xmlns="http://www.w3.org/1999/xhtml""#

    @Test(arguments: [
        xhtml + "/>",
        xhtml + "><p>A &amp; B &lt; C &gt; D&#13;</p></div>",
        xhtml + #" class="x"><p title="a &quot;b&quot;&#10;&#9;c">é — 日本</p><br/><img src="a.png" alt=""/></div>"#,
        xhtml + "><table><tr><td>1</td><td>2</td></tr></table>\ntext\tafter</div>",
    ])
    func narrativeAlreadyInWrittenFormIsCopied(div: String) throws {
        #expect(XHTMLCanonicalForm.recognizes(div))
        #expect(XMLNarrative.parse(div) == Array(div.utf8))
    }

    @Test(arguments: [
        xhtml + "><br></br></div>",
        xhtml + "><!-- c --></div>",
        xhtml + "><p>&#8212;</p></div>",
        xhtml + "><p>a > b</p></div>",
        xhtml + "><p a='x'>t</p></div>",
        xhtml + "><p xml:lang=\"en\">t</p></div>",
        xhtml + "><p xmlns=\"http://www.w3.org/1999/xhtml\">t</p></div>",
        xhtml + "><p a=\"1\" a=\"2\">t</p></div>",
        xhtml + "><p>t</q></div>",
        xhtml + "><p>t</p>",
        xhtml + "><p>t</p></div> ",
        xhtml + "><p>a\rb</p></div>",
        xhtml + "><![CDATA[x]]></div>",
        "<div xmlns=\"http://www.w3.org/1999/xhtml\" ><p>t</p></div>",
        "<div><p>t</p></div>",
    ])
    func anyOtherNarrativeIsParsed(div: String) throws {
        #expect(!XHTMLCanonicalForm.recognizes(div))
    }
}
