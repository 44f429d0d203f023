import FHIRCore
import FHIRXML
import Testing

/// The reader refuses what FHIR XML never needs and hostile input relies on.
@Suite struct HardeningTests {
    static let doctypeMessage = "a DOCTYPE is not allowed in FHIR XML"

    static let billionLaughs = """
        <?xml version="1.0"?>
        <!DOCTYPE lolz [
          <!ENTITY lol "lol">
          <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
          <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
          <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
          <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
          <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
          <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
          <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
          <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
        ]>
        <Patient xmlns="http://hl7.org/fhir"><name><text value="&lol9;"/></name></Patient>
        """

    static let externalEntity = """
        <?xml version="1.0"?>
        <!DOCTYPE Patient [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
        <Patient xmlns="http://hl7.org/fhir"><name><text value="&xxe;"/></name></Patient>
        """

    static let externalDTD = """
        <?xml version="1.0"?>
        <!DOCTYPE Patient SYSTEM "http://example.org/fhir.dtd">
        <Patient xmlns="http://hl7.org/fhir"><id value="p"/></Patient>
        """

    @Test(arguments: [billionLaughs, externalEntity, externalDTD])
    func doctypeIsRefusedOnItsLine(xml: String) throws {
        let error = try #require(TestInput.decodeError(AnyResource.self, xml))
        #expect(error.code == .syntax)
        #expect(error.message.contains(Self.doctypeMessage))
        // The DOCTYPE starts on line 2 of each input.
        #expect(error.location?.line == 2)
        #expect(!error.description.contains("root:"))  // /etc/passwd content never appears
    }

    @Test func doctypeIsRefusedByTheBundleStream() throws {
        let xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE Bundle>\n<Bundle xmlns=\"http://hl7.org/fhir\"/>"
        let stream = try FHIRXMLBundleStream(bytes: TestInput.bytes(xml))
        #expect {
            _ = try stream.next()
        } throws: { error in
            (error as? FHIRDiagnostic)?.message.contains(Self.doctypeMessage) == true
        }
    }

    @Test func undeclaredEntityIsAnError() throws {
        let xml = "<Patient xmlns=\"http://hl7.org/fhir\">\n<name><text value=\"&xxe;\"/></name></Patient>"
        let error = try #require(TestInput.decodeError(AnyResource.self, xml))
        #expect(error.message.contains("Entity 'xxe' not defined"))
        #expect(error.location?.line == 2)
    }

    /// `depth` nested extensions inside a Patient (Patient is depth 1).
    static func nested(_ depth: Int) -> String {
        let open = String(repeating: "<extension url=\"http://example.org/e\">", count: depth)
        let close = String(repeating: "</extension>", count: depth)
        return "<Patient xmlns=\"http://hl7.org/fhir\">\(open)\(close)</Patient>"
    }

    @Test func depthLimitDefaultIsTheSharedOne() throws {
        #expect(FHIRXMLLimits.default.maxDepth == FHIRReadLimits.default.maxDepth)
        #expect(FHIRXMLLimits.default.maxDepth == 64)
        let error = try #require(TestInput.decodeError(AnyResource.self, Self.nested(150)))
        #expect(error.code == .tooDeep)
        #expect(error.message.contains("XML nesting deeper than 64 elements at <extension>"))
        #expect(error.message.contains("(limit maxDepth = "))
    }

    @Test func depthLimitIsOverridable() throws {
        let shallow = FHIRXMLDecoder(limits: FHIRXMLLimits(maxDepth: 3))
        let error = try #require(TestInput.decodeError(AnyResource.self, Self.nested(3), decoder: shallow))
        #expect(error.message.contains("XML nesting deeper than 3 elements"))
        // Depth 3 (Patient, extension, extension) is within the limit.
        #expect(TestInput.decodeError(AnyResource.self, Self.nested(2), decoder: shallow) == nil)
    }

    @Test func libxml2HardDepthLimitStillApplies() throws {
        // Raising our limit does not lift libxml2's own 256 levels (no XML_PARSE_HUGE).
        let deep = FHIRXMLDecoder(limits: FHIRXMLLimits(maxDepth: 10_000))
        let error = try #require(TestInput.decodeError(AnyResource.self, Self.nested(300), decoder: deep))
        #expect(error.code == .tooDeep)
        #expect(error.message.contains("Excessive depth in document: 256"))
    }

    @Test func sizeLimitIsEnforcedBeforeParsing() throws {
        let tiny = FHIRXMLDecoder(limits: FHIRXMLLimits(maxDocumentBytes: 16))
        let xml = "<Patient xmlns=\"http://hl7.org/fhir\"/>"
        let error = try #require(TestInput.decodeError(AnyResource.self, xml, decoder: tiny))
        #expect(error.code == .tooLarge)
        #expect(
            error.message == "XML document of \(xml.utf8.count) bytes exceeds the limit of 16 bytes"
                + " (FHIRXMLLimits.maxDocumentBytes) (limit maxRecordBytes = 16);"
                + " read large Bundles entry by entry with FHIRXMLBundleStream")
    }

    @Test func malformedXMLReportsLibxml2LineAndColumn() throws {
        let xml = "<Patient xmlns=\"http://hl7.org/fhir\">\n  <id value=\"x\">\n</Patient>"
        let error = try #require(TestInput.decodeError(AnyResource.self, xml))
        #expect(error.code == .syntax)
        #expect(error.message.hasPrefix("malformed XML: Opening and ending tag mismatch: id line 2 and Patient"))
        let location = try #require(error.location)
        #expect(location.line == 3)
        #expect(location.column > 1)
        #expect(error.description.hasPrefix("3:\(location.column): error: malformed XML"))
    }

    @Test func unquotedAttributeIsReportedOnItsLine() throws {
        let xml = "<Patient xmlns=\"http://hl7.org/fhir\">\n\n  <id value=x/>\n</Patient>"
        let error = try #require(TestInput.decodeError(AnyResource.self, xml))
        #expect(error.message.contains("AttValue: \" or ' expected"))
        #expect(error.location?.line == 3)
    }

    // MARK: Hostile input: deep nesting, truncated huge text, bad UTF-8, undeclared prefixes

    @Test(arguments: [FHIRXMLLimits.default.maxDepth, 10_000])
    func tenThousandDeepNestingIsRefused(maxDepth: Int) throws {
        // 10,000 nested elements: libxml2 stops at 256 levels before our tree builder (which
        // recurses) ever sees them, even when our own limit is raised to 10,000.
        let decoder = FHIRXMLDecoder(limits: FHIRXMLLimits(maxDepth: maxDepth))
        let error = TestInput.decodeError(AnyResource.self, Self.nested(10_000), decoder: decoder)
        let refused = try #require(error, "10,000-deep nesting was accepted")
        #expect(refused.code == .tooDeep, "\(refused)")
        #expect(refused.message == "malformed XML: Excessive depth in document: 256 use XML_PARSE_HUGE option")
        #expect(refused.location?.line == 1)
    }

    @Test func tenThousandDeepNestingInABundleEntryIsRefused() throws {
        let entry = Self.nested(10_000)
        let xml =
            "<Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"collection\"/>"
            + "<entry><resource>\(entry)</resource></entry></Bundle>"
        let stream = try FHIRXMLBundleStream(bytes: TestInput.bytes(xml))
        let error = try #require(Self.streamError(stream), "10,000-deep nesting was accepted by the stream")
        #expect(error.code == .tooDeep, "\(error)")
        #expect(error.message.contains("Excessive depth in document: 256"), "\(error)")
    }

    /// A Patient whose narrative text runs for 65,536 lines of 64 bytes (4 MiB) and then stops
    /// mid-line, without closing anything: a stream that ended early inside a huge text node.
    /// A gigabyte-sized node cannot be allocated in a unit test; a few MiB is enough to be far
    /// beyond any buffer libxml2 reads at once, and the 64 MiB `maxDocumentBytes` refuses
    /// anything near a gigabyte before parsing. 65,536 lines also pass libxml2's 16-bit line
    /// counter (the reader uses XML_PARSE_BIG_LINES).
    static func truncatedHugeText(root: String = "Patient", prefix: String = "") -> String {
        let line = String(repeating: "a", count: 63) + "\n"
        return "<\(root) xmlns=\"http://hl7.org/fhir\">\n\(prefix)<text><status value=\"generated\"/>"
            + "<div xmlns=\"http://www.w3.org/1999/xhtml\">" + String(repeating: line, count: 65_536) + "aaaa"
    }

    @Test func truncatedHugeTextNodeIsAClearErrorAtTheEnd() throws {
        let xml = Self.truncatedHugeText()
        #expect(xml.utf8.count > 4 << 20)
        let truncated = try #require(TestInput.decodeError(AnyResource.self, xml), "a truncated document was accepted")
        #expect(truncated.code == .syntax)
        #expect(truncated.message == "malformed XML: Premature end of data in tag div line 2")
        // The div opens on line 2; its text ends on line 2 + 65,536, after the 4 bytes "aaaa".
        #expect(truncated.location?.line == 65_538)
        #expect(truncated.location?.column == 5)
        #expect(truncated.description.hasPrefix("65538:5: error: malformed XML: Premature end of data"))
    }

    @Test func truncatedHugeTextNodeInABundleStreamIsAClearError() throws {
        let xml = Self.truncatedHugeText(
            root: "Bundle", prefix: "<type value=\"collection\"/>\n<entry><resource><Patient>")
        let stream = try FHIRXMLBundleStream(bytes: TestInput.bytes(xml))
        let error = try #require(Self.streamError(stream), "the stream accepted a truncated document")
        #expect(error.code == .syntax, "\(error)")
        // The stream reads through libxml2's push parser, which words a document that stops
        // before its root closes as "Extra content at the end of the document" (its
        // XML_ERR_DOCUMENT_END text); the location is where the input stopped.
        #expect(error.message == "malformed XML: Extra content at the end of the document", "\(error)")
        // Bundle, type and entry take lines 1-3; the text ends on line 3 + 65,536.
        #expect(error.location?.line == 65_539, "\(error)")
    }

    /// Invalid UTF-8 (0xFF 0xFE after a valid "ü") inside an attribute value, and a Latin-1 é
    /// (0xE9) inside narrative text, with no encoding declared.
    static let invalidUTF8: [(name: String, bytes: [UInt8], line: Int, column: Int, bytesShown: String)] = [
        (
            "attribute value",
            Array("<Patient xmlns=\"http://hl7.org/fhir\">\n  <name><family value=\"Müller ".utf8) + [0xFF, 0xFE]
                + Array("\"/></name></Patient>".utf8),
            2, 31, "Bytes: 0xFF 0xFE"
        ),
        (
            "text",
            Array("<Patient xmlns=\"http://hl7.org/fhir\">\n<text><status value=\"generated\"/>\n".utf8)
                + Array("<div xmlns=\"http://www.w3.org/1999/xhtml\">caf".utf8) + [0xE9]
                + Array(" au lait</div></text></Patient>".utf8),
            3, 46, "Bytes: 0xE9"
        ),
    ]

    @Test(arguments: 0..<invalidUTF8.count)
    func invalidUTF8NamesTheEncodingWithLineAndColumn(index: Int) throws {
        let input = Self.invalidUTF8[index]
        let error: FHIRDiagnostic
        do {
            _ = try FHIRXMLDecoder().decode(AnyResource.self, from: input.bytes)
            Issue.record("invalid UTF-8 in the \(input.name) was accepted")
            return
        } catch let thrown {
            error = thrown
        }
        #expect(error.code == .syntax, "\(input.name): \(error)")
        #expect(
            error.message.hasPrefix("malformed XML: Input is not proper UTF-8, indicate encoding !"),
            "\(input.name): \(error.message)")
        #expect(error.message.contains(input.bytesShown), "\(input.name): \(error.message)")
        #expect(error.location?.line == input.line, "\(input.name): \(error)")
        #expect(error.location?.column == input.column, "\(input.name): \(error)")
    }

    static let undeclaredPrefixes: [(xml: String, message: String, line: Int)] = [
        (
            "<f:Patient>\n<f:id value=\"p\"/></f:Patient>",
            "malformed XML: Namespace prefix f on Patient is not defined", 1
        ),
        (
            "<Patient xmlns=\"http://hl7.org/fhir\">\n  <x:id value=\"p\"/>\n</Patient>",
            "malformed XML: Namespace prefix x on id is not defined", 2
        ),
        (
            "<Patient xmlns=\"http://hl7.org/fhir\">\n  <id x:value=\"p\"/>\n</Patient>",
            "malformed XML: Namespace prefix x for value on id is not defined", 2
        ),
    ]

    @Test(arguments: 0..<undeclaredPrefixes.count)
    func undeclaredNamespacePrefixIsAnError(index: Int) throws {
        let input = Self.undeclaredPrefixes[index]
        let error = try #require(TestInput.decodeError(AnyResource.self, input.xml), "accepted: \(input.xml)")
        #expect(error.code == .syntax, "\(error)")
        #expect(error.message == input.message)
        #expect(error.location?.line == input.line, "\(error)")
        // The lenient decoder does not let it through either: it is a syntax error, not unknown content.
        #expect(throws: FHIRDiagnostic.self) {
            _ = try FHIRXMLDecoder().decodeLeniently(AnyResource.self, from: TestInput.bytes(input.xml))
        }
    }

    /// The first error reading `stream` to its end throws, or nil when it reads cleanly.
    static func streamError(_ stream: FHIRXMLBundleStream) -> FHIRDiagnostic? {
        do {
            while try stream.next() != nil {}
            return nil
        } catch {
            return error
        }
    }
}
