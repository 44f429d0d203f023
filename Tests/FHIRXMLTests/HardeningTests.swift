import FHIRCore
import FHIRXML
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

    @Test func depthLimitDefaultIs100() throws {
        #expect(FHIRXMLLimits.default.maxDepth == 100)
        let error = try #require(TestInput.decodeError(AnyResource.self, Self.nested(150)))
        #expect(error.code == .tooDeep)
        #expect(error.message.contains("XML nesting deeper than 100 elements at <extension>"))
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
        #expect(error.message == "XML document of \(xml.utf8.count) bytes exceeds the limit of 16 bytes"
            + " (FHIRXMLLimits.maxDocumentBytes; read large Bundles with FHIRXMLBundleStream)")
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

    @Test func libxml2PrintsNothingToStandardError() throws {
        let output = captureStandardError {
            _ = TestInput.decodeError(AnyResource.self, "<Patient xmlns=\"http://hl7.org/fhir\"><id value=\"x\"></Patient>")
            _ = TestInput.decodeError(AnyResource.self, Self.billionLaughs)
        }
        #expect(output.isEmpty, "libxml2 wrote to stderr: \(output)")
        // The capture itself works: a direct write to fd 2 is seen.
        #expect(captureStandardError { _ = write(2, "seen", 4) } == "seen")
    }
}

/// Runs `body` with file descriptor 2 redirected to a temporary file and returns what was written.
func captureStandardError(_ body: () -> Void) -> String {
    var template = Array("/tmp/fhirxml-stderr-XXXXXX".utf8CString)
    let file = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard file >= 0 else { return "could not create a temporary file" }
    let saved = dup(2)
    dup2(file, 2)
    body()
    fflush(nil)  // all C streams; stderr itself is unbuffered
    dup2(saved, 2)
    close(saved)
    var captured: [UInt8] = []
    lseek(file, 0, SEEK_SET)
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = read(file, &chunk, chunk.count)
        if count <= 0 { break }
        captured += chunk[0..<count]
    }
    close(file)
    template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
    return String(decoding: captured, as: UTF8.self)
}
