import FHIRCore
import FHIRXML
import Testing

/// Values that must survive XML → model → XML exactly: primitive ids and extensions, decimal
/// spellings, escaped text, narrative XHTML.
@Suite struct LosslessValueTests {
    static let primitiveMetadata = """
        <Patient xmlns="http://hl7.org/fhir">
          <name>
            <given value="Alice"/>
            <given id="g2"><extension url="http://example.org/nickname"><valueString value="Bee"/></extension></given>
            <given id="g3" value="Carol"/>
          </name>
          <birthDate id="bd" value="1970-03-30">
            <extension url="http://hl7.org/fhir/StructureDefinition/patient-birthTime">
              <valueDateTime value="1970-03-30T14:35:45-05:00"/>
            </extension>
          </birthDate>
        </Patient>
        """

    @Test func primitiveIdsAndExtensionsAreRead() throws {
        let patient = try FHIRXMLDecoder().decode(Patient.self, from: TestInput.bytes(Self.primitiveMetadata))
        let given = try #require(patient.name.first?.given)
        #expect(given.map(\.value) == ["Alice", nil, "Carol"])
        #expect(given.map(\.id) == [nil, "g2", "g3"])
        #expect(given[1].extension.first?.url == "http://example.org/nickname")
        #expect(given[1].extension.first?.value == .string("Bee"))
        #expect(patient.birthDate?.value?.text == "1970-03-30")
        #expect(patient.birthDate?.id == "bd")
        #expect(
            patient.birthDate?.extension.first?.value
                == .dateTime(FHIRPrimitive(try FHIRDateTime("1970-03-30T14:35:45-05:00"))))
    }

    @Test func primitiveIdsAndExtensionsAreWrittenOnOneElement() throws {
        let input = TestInput.bytes(Self.primitiveMetadata)
        let patient = try FHIRXMLDecoder().decode(Patient.self, from: input)
        let written = try FHIRXMLEncoder().encode(patient)
        #expect(CanonicalXML.canonical(written) == CanonicalXML.canonical(input))
        #expect(try FHIRXMLDecoder().decode(Patient.self, from: written) == patient)
    }

    @Test(arguments: ["1.50", "1.0e-245", "0.010", "-1.000000000000000000E+245", "100", "1E-22"])
    func decimalKeepsItsDigits(text: String) throws {
        let xml = """
            <Observation xmlns="http://hl7.org/fhir">
              <status value="final"/>
              <code><text value="dose"/></code>
              <valueQuantity><value value="\(text)"/><unit value="g"/></valueQuantity>
            </Observation>
            """
        let observation = try FHIRXMLDecoder().decode(Observation.self, from: TestInput.bytes(xml))
        guard case .quantity(let quantity) = observation.value else {
            Issue.record("valueQuantity not decoded")
            return
        }
        #expect(quantity.value?.value?.text == text)
        let written = String(decoding: try FHIRXMLEncoder().encode(observation), as: UTF8.self)
        #expect(written.contains("<value value=\"\(text)\"/>"))
    }

    @Test func markupAndWhitespaceInValuesAreEscapedAndSurvive() throws {
        let text = "A & B <c> \"q\" 'x'\nline 2\ttab\r\nend ünïcødé 🩸"
        let patient = Patient(id: "p1", name: [HumanName(text: FHIRPrimitive(text))])
        let written = try FHIRXMLEncoder().encode(patient)
        let xml = String(decoding: written, as: UTF8.self)
        #expect(
            xml.contains("value=\"A &amp; B &lt;c&gt; &quot;q&quot; 'x'&#10;line 2&#9;tab&#13;&#10;end ünïcødé 🩸\""))
        let back = try FHIRXMLDecoder().decode(Patient.self, from: written)
        #expect(back.name.first?.text?.value == text)
    }

    @Test func controlCharacterCannotBeWritten() throws {
        let patient = Patient(name: [HumanName(text: FHIRPrimitive("bell\u{07}"))])
        let error = try #require(TestInput.encodeError(patient))
        #expect(error.message == "character U+0007 cannot be written in XML 1.0")
        #expect(error.fhirPath == "Patient.name[0].text")
    }

    static let narrative = """
        <Patient xmlns="http://hl7.org/fhir">
          <text>
            <status value="generated"/>
            <div xmlns="http://www.w3.org/1999/xhtml"><p>Dose &amp; rate: <b>0.4 g/kg</b> &lt;IVIG&gt;</p>
              <table><tr><td lang="en">x</td></tr></table></div>
          </text>
        </Patient>
        """

    @Test func narrativeIsXHTMLTextInTheModelAndASubtreeInXML() throws {
        let input = TestInput.bytes(Self.narrative)
        let patient = try FHIRXMLDecoder().decode(Patient.self, from: input)
        let div = try #require(patient.text?.div?.text)
        #expect(
            div.hasPrefix(
                "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Dose &amp; rate: <b>0.4 g/kg</b> &lt;IVIG&gt;</p>"))
        let written = try FHIRXMLEncoder(pretty: true).encode(patient)
        #expect(CanonicalXML.canonical(written) == CanonicalXML.canonical(input))
    }

    @Test(arguments: [
        ("<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>unclosed</div>", "narrative div is not well-formed XHTML"),
        ("<div><p>no namespace</p></div>", "narrative must be <div xmlns=\"http://www.w3.org/1999/xhtml\">…</div>"),
    ])
    func badNarrativeCannotBeWritten(div: String, message: String) throws {
        let patient = Patient(text: Narrative(status: "generated", div: FHIRXHTML(div)))
        let error = try #require(TestInput.encodeError(patient))
        #expect(error.message.hasPrefix(message))
        #expect(error.fhirPath == "Patient.text.div")
    }

    @Test func containedResourceIsWrapped() throws {
        let patient = Patient(id: "p1", contained: [.organization(Organization(id: "o1", name: "Clinic"))])
        let xml = String(decoding: try FHIRXMLEncoder().encode(patient), as: UTF8.self)
        #expect(
            xml.contains(
                "<contained><Organization><id value=\"o1\"/><name value=\"Clinic\"/></Organization></contained>"))
        #expect(try FHIRXMLDecoder().decode(Patient.self, from: Array(xml.utf8)) == patient)
    }

    @Test func documentStartsWithDeclarationAndFHIRNamespace() throws {
        let xml = String(decoding: try FHIRXMLEncoder().encode(AnyResource.patient(Patient(id: "p1"))), as: UTF8.self)
        #expect(
            xml
                == "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Patient xmlns=\"http://hl7.org/fhir\"><id value=\"p1\"/></Patient>"
        )
    }
}
