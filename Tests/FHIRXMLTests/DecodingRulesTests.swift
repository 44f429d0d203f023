import FHIRCore
import FHIRXML
import Testing

/// FHIR XML rules the decoder enforces, and the errors it reports (message, FHIRPath, line).
@Suite struct DecodingRulesTests {
    static let plain = """
        <Patient xmlns="http://hl7.org/fhir">
          <id value="p1"/>
          <active value="true"/>
          <name><family value="Chalmers"/><given value="Peter"/></name>
        </Patient>
        """

    static let withCommentsAndInstructions = """
        <?xml version="1.0" encoding="UTF-8"?>
        <!-- a comment before the root -->
        <?xml-stylesheet href="style.xsl"?>
        <Patient xmlns="http://hl7.org/fhir">
          <!-- a comment among elements -->
          <id value="p1"/>
          <?ivig note?>
          <active value="true"><!-- inside a primitive --></active>
          <name><family value="Chalmers"/><!-- between --><given value="Peter"/></name>
        </Patient>
        <!-- after the root -->
        """

    @Test func commentsAndProcessingInstructionsAreIgnored() throws {
        let decoder = FHIRXMLDecoder()
        let expected = try decoder.decode(Patient.self, from: TestInput.bytes(Self.plain))
        let actual = try decoder.decode(Patient.self, from: TestInput.bytes(Self.withCommentsAndInstructions))
        #expect(actual == expected)
        #expect(actual.name.first?.given.first?.value == "Peter")
    }

    static let outOfOrder = """
        <Patient xmlns="http://hl7.org/fhir">
          <id value="p1"/>
          <gender value="male"/>
          <name><family value="Chalmers"/></name>
        </Patient>
        """

    @Test func outOfOrderElementIsAnErrorInStrictMode() throws {
        let error = try #require(TestInput.decodeError(Patient.self, Self.outOfOrder))
        #expect(error.code == .elementOrder)
        #expect(error.message == "element <gender> (line 3) is out of order: FHIR R4 puts it after <name> (line 4)")
        #expect(error.fhirPath == "Patient.gender")
        #expect(error.location?.line == 3)
    }

    @Test func outOfOrderElementIsAcceptedLeniently() throws {
        let (patient, dropped) = try FHIRXMLDecoder().decodeLeniently(
            Patient.self, from: TestInput.bytes(Self.outOfOrder))
        #expect(dropped.isEmpty)  // reordering loses nothing, so there is nothing to report
        #expect(patient.gender?.value == "male")
        #expect(patient.name.first?.family?.value == "Chalmers")
    }

    @Test func repeatsMustBeAdjacent() throws {
        let xml = """
            <Patient xmlns="http://hl7.org/fhir">
              <name><given value="A"/><family value="F"/><given value="B"/></name>
            </Patient>
            """
        let error = try #require(TestInput.decodeError(Patient.self, xml))
        #expect(error.message.hasPrefix("element <given> (line 2) repeats after 'family'"))
        #expect(error.fhirPath == "Patient.name[0].given")
    }

    static let unknownElement = """
        <Patient xmlns="http://hl7.org/fhir">
          <id value="p1"/>
          <favouriteColour value="blue"/>
        </Patient>
        """

    @Test func unknownElementIsAnErrorWithPathAndLine() throws {
        let error = try #require(TestInput.decodeError(AnyResource.self, Self.unknownElement))
        #expect(error.code == .unknownElement)
        #expect(error.message.hasPrefix("unknown element 'favouriteColour'"))
        #expect(error.fhirPath == "Patient.favouriteColour")
        #expect(error.location?.line == 3)
        #expect(error.location?.column == 3)
    }

    @Test func unknownElementIsAWarningLeniently() throws {
        let (value, warnings) = try FHIRXMLDecoder().decodeLeniently(
            AnyResource.self, from: TestInput.bytes(Self.unknownElement))
        #expect(value.resource.id?.value == "p1")
        #expect(
            warnings.map(\.message) == ["unknown element 'favouriteColour' was dropped (not part of this FHIR R4 type)"]
        )
        #expect(warnings.first?.severity == .warning)
        #expect(warnings.first?.fhirPath == "Patient.favouriteColour")
        #expect(warnings.first?.location?.line == 3)
    }

    @Test func errorInsideABundleEntryNamesTheResourceType() throws {
        let xml = """
            <Bundle xmlns="http://hl7.org/fhir">
              <type value="collection"/>
              <entry><resource><Patient><id value="a"/></Patient></resource></entry>
              <entry>
                <resource>
                  <MedicationRequest>
                    <status value="active"/>
                    <dose value="1"/>
                  </MedicationRequest>
                </resource>
              </entry>
            </Bundle>
            """
        let error = try #require(TestInput.decodeError(AnyResource.self, xml))
        #expect(error.fhirPath == "Bundle.entry[1].resource.ofType(MedicationRequest).dose")
        #expect(error.location?.line == 8)
        #expect(error.message.hasPrefix("unknown element 'dose'"))
    }

    @Test(arguments: [
        ("<active value=\"yes\"/>", "'yes' is not a valid FHIR boolean: expected true or false", "Patient.active"),
        ("<birthDate value=\"1970-13-01\"/>", "'1970-13-01' is not a valid FHIR date", "Patient.birthDate"),
        ("<multipleBirthInteger value=\"007\"/>", "'007' is not a valid FHIR integer", "Patient.multipleBirthInteger"),
        ("<gender value=\"\"/>", "has an empty value attribute", "Patient.gender"),
    ])
    func invalidPrimitiveIsReported(element: String, message: String, path: String) throws {
        let xml = "<Patient xmlns=\"http://hl7.org/fhir\">\n  \(element)\n</Patient>"
        let error = try #require(TestInput.decodeError(Patient.self, xml))
        #expect(error.message.contains(message))
        #expect(error.fhirPath == path)
        #expect(error.location?.line == 2)
    }

    @Test func rootOutsideTheFHIRNamespaceIsRejected() throws {
        let error = try #require(TestInput.decodeError(AnyResource.self, "<Patient><id value=\"p\"/></Patient>"))
        #expect(
            error.message
                == "root element <Patient> is not in the FHIR namespace; expected xmlns=\"http://hl7.org/fhir\"")
    }

    @Test func unsupportedResourceTypeIsNamed() throws {
        let error = try #require(TestInput.decodeError(AnyResource.self, "<Encounter xmlns=\"http://hl7.org/fhir\"/>"))
        #expect(error.code == .unsupportedResourceType)
        #expect(error.message.hasPrefix("unsupported resource type 'Encounter'"))
    }

    @Test func narrativeOutsideTheXHTMLNamespaceIsRejected() throws {
        let xml = """
            <Patient xmlns="http://hl7.org/fhir">
              <text><status value="generated"/><div>hello</div></text>
            </Patient>
            """
        let error = try #require(TestInput.decodeError(Patient.self, xml))
        #expect(
            error.message.hasPrefix(
                "narrative <div> (line 2) must be an XHTML <div xmlns=\"http://www.w3.org/1999/xhtml\">"))
        #expect(error.fhirPath == "Patient.text.div")
    }

    @Test func valueAttributeOnAComplexElementIsRejected() throws {
        let xml = "<Patient xmlns=\"http://hl7.org/fhir\">\n  <name value=\"Peter\"/>\n</Patient>"
        let error = try #require(TestInput.decodeError(Patient.self, xml))
        #expect(error.message == "attribute 'value' on <name> (line 2) is not part of FHIR XML here")
        #expect(error.fhirPath == "Patient.name[0]")
    }

    @Test func nonRepeatingElementGivenTwiceIsRejected() throws {
        let xml =
            "<Patient xmlns=\"http://hl7.org/fhir\">\n  <gender value=\"male\"/>\n  <gender value=\"female\"/>\n</Patient>"
        let error = try #require(TestInput.decodeError(Patient.self, xml))
        #expect(error.message == "element 'gender' occurs 2 times, but it does not repeat (at most 1)")
    }

    @Test(arguments: [
        (
            "<gender value=\"male\" colour=\"blue\"/>",
            "attribute 'colour' on <gender> (line 2) is not part of FHIR XML here"
        ),
        (
            "<gender value=\"male\">male</gender>",
            "text content in <gender> (line 2); FHIR XML carries values in value attributes"
        ),
    ])
    func primitiveWithForeignContentIsRejected(element: String, message: String) throws {
        let xml = "<Patient xmlns=\"http://hl7.org/fhir\">\n  \(element)\n</Patient>"
        let error = try #require(TestInput.decodeError(Patient.self, xml))
        #expect(error.message == message)
        #expect(error.fhirPath == "Patient.gender")
        let lenient = try FHIRXMLDecoder().decodeLeniently(Patient.self, from: TestInput.bytes(xml))
        #expect(lenient.value.gender?.value == "male")
        #expect(lenient.dropped.count == 1)
    }
}
