import FHIRCore
import FHIRElementModel
import FHIRJSON
import FHIRPackages
import FHIRTestSupport
import FHIRXML
import Foundation
import Testing

/// The element model's readers and writers on small inputs, typed by the stand-in layouts.
@Suite struct ElementReaderTests {
    static let index: FHIRLayoutIndex? = FHIRLayoutIndex(FHIRDefinitions.baseR4)

    private func json(_ text: String) throws -> FHIRElement {
        try FHIRElementJSONReader(index: #require(Self.index)).read(Array(text.utf8))
    }

    private func xml(_ text: String) throws -> FHIRElement {
        try FHIRElementXMLReader(index: #require(Self.index)).read(Array(text.utf8))
    }

    private func jsonError(_ text: String) throws -> FHIRDiagnostic {
        let reader = FHIRElementJSONReader(index: try #require(Self.index))
        do {
            _ = try reader.read(Array(text.utf8))
        } catch {
            return error
        }
        Issue.record("expected an error for \(text)")
        throw CancellationError()
    }

    private func xmlError(_ text: String) throws -> FHIRDiagnostic {
        let reader = FHIRElementXMLReader(index: try #require(Self.index))
        do {
            _ = try reader.read(Array(text.utf8))
        } catch {
            return error
        }
        Issue.record("expected an error for \(text)")
        throw CancellationError()
    }

    @Test func readsJSONTypedByTheDefinitions() throws {
        let patient = try json(
            """
            {"resourceType": "Patient", "birthDate": "1974-12", "_birthDate": {"extension": [
              {"url": "http://example.org/t", "valueDecimal": 1.50}]},
             "name": [{"given": ["A", null], "_given": [null, {"id": "g2"}]}], "id": "p1",
             "deceasedBoolean": false}
            """)
        #expect(patient.kind == .resource && patient.typeName == "Patient")
        #expect(patient.children.map(\.name) == ["id", "name", "birthDate", "deceased"])
        let birthDate = try #require(patient.child(named: "birthDate"))
        #expect(birthDate.value == "1974-12" && birthDate.typeName == "date")
        let decimal = try #require(birthDate.child(named: "extension")?.child(named: "value"))
        #expect(decimal.value == "1.50" && decimal.typeName == "decimal" && decimal.isChoice)
        #expect(decimal.fhirPath == "Patient.birthDate.extension[0].value.ofType(decimal)")
        let given = try #require(patient.child(named: "name")).children(named: "given")
        #expect(given.map(\.value) == ["A", nil])
        #expect(given[1].child(named: "id")?.value == "g2")
        #expect(patient.child(named: "deceased")?.wireName == "deceasedBoolean")
        #expect(birthDate.location?.line == 1 && birthDate.location?.column == 29)
        #expect(birthDate.definitionPath == "Patient.birthDate")
        #expect(patient.child(named: "name")?.repeats == true)
    }

    @Test func putsMembersInSpecificationOrderWithOrWithoutPairedMetadata() throws {
        // No `_name` key: each primitive stands alone. The choice and the array come before
        // members that the definitions put first.
        let plain = try json(
            #"{"resourceType": "Observation", "valueString": "x", "category": [{"text": "c"}],"#
                + #" "status": "final", "code": {"text": "k"}, "identifier": [{"value": "1"}, {"value": "2"}]}"#)
        #expect(plain.children.map(\.name) == ["identifier", "identifier", "status", "category", "code", "value"])
        #expect(plain.child(named: "value")?.wireName == "valueString")
        // With one: the values and their `_name` entries meet whatever their order.
        let paired = try json(
            #"{"resourceType": "Patient", "_gender": {"id": "g"}, "gender": "male", "active": true,"#
                + #" "name": [{"_given": [{"id": "a"}, null], "given": ["A", "B"], "family": "F"}]}"#)
        #expect(paired.children.map(\.name) == ["active", "name", "gender"])
        #expect(paired.child(named: "gender")?.child(named: "id")?.value == "g")
        let given = try #require(paired.child(named: "name")).children(named: "given")
        #expect(given.map(\.value) == ["A", "B"] && given[0].child(named: "id")?.value == "a")
        #expect(try #require(paired.child(named: "name")).children.map(\.name) == ["family", "given", "given"])
    }

    @Test func aNullInAPrimitiveArrayIsReportedAfterTheObjectsOtherMembers() throws {
        let null = try jsonError(#"{"resourceType": "Patient", "name": [{"given": ["A", null], "text": "t"}]}"#)
        #expect(null.code == .unexpectedNull && null.fhirPath == "Patient.name[0].given[1]")
        #expect(null.message.hasPrefix("'given[1]' is null in both 'given' and '_given'"))
        #expect(null.location?.column == 54)
        // An unknown member after the null is the error, as it is when a `_given` pairs them.
        let later = try jsonError(#"{"resourceType": "Patient", "name": [{"given": [null], "nickname": "x"}]}"#)
        #expect(later.code == .unknownElement && later.fhirPath == "Patient.name[0].nickname")
        let pairedLater = try jsonError(
            #"{"resourceType": "Patient", "name": [{"given": [null], "_given": [null], "nickname": "x"}]}"#)
        #expect(pairedLater.code == .unknownElement && pairedLater.fhirPath == "Patient.name[0].nickname")
    }

    @Test func readsContainedResourcesByType() throws {
        let observation = try json(
            """
            {"resourceType": "Observation", "status": "final", "code": {"text": "x"},
             "contained": [{"resourceType": "Patient", "id": "p"}], "subject": {"reference": "#p"}}
            """)
        let contained = try #require(observation.child(named: "contained"))
        #expect(contained.kind == .resource && contained.typeName == "Patient")
        #expect(contained.fhirPath == "Observation.contained[0].ofType(Patient)")
        let fromXML = try xml(
            """
            <Observation xmlns="http://hl7.org/fhir"><contained><Patient><id value="p"/></Patient></contained>\
            <status value="final"/><code><text value="x"/></code><subject><reference value="#p"/></subject></Observation>
            """)
        #expect(fromXML.child(named: "contained")?.typeName == "Patient")
        #expect(fromXML.child(named: "contained")?.child(named: "id")?.value == "p")
    }

    @Test func refusesWhatTheTypedReaderRefuses() throws {
        let unknown = try jsonError("{\"resourceType\": \"Patient\",\n  \"nickname\": \"x\"}")
        #expect(unknown.code == .unknownElement && unknown.fhirPath == "Patient.nickname")
        #expect(unknown.location?.line == 2 && unknown.location?.column == 3)
        #expect(try jsonError(#"{"resourceType": "Patient", "active": "true"}"#).code == .wrongType)
        #expect(try jsonError(#"{"resourceType": "Patient", "gender": ""}"#).code == .emptyValue)
        #expect(try jsonError(#"{"resourceType": "Patient", "name": []}"#).code == .emptyValue)
        #expect(try jsonError(#"{"resourceType": "Patient", "name": [{}]}"#).code == .emptyValue)
        #expect(try jsonError(#"{"resourceType": "Patient", "name": {"text": "x"}}"#).code == .wrongType)
        #expect(try jsonError(#"{"resourceType": "Patient", "id": "a", "id": "b"}"#).code == .duplicateKey)
        #expect(try jsonError(#"{"resourceType": "Patient", "birthDate": "1974-13"}"#).code == .invalidPrimitive)
        #expect(try jsonError(#"{"resourceType": "Patient", "multipleBirthInteger": 1.5}"#).code == .wrongType)
        #expect(
            try jsonError(#"{"resourceType": "Patient", "deceasedBoolean": true, "deceasedDateTime": "2020"}"#).code
                == .multipleChoices)
        #expect(try jsonError(#"{"resourceType": "Nonsense"}"#).code == .unsupportedResourceType)
        #expect(try jsonError(#"{"resourceType": "Patient", "name": [{"given": [null]}]}"#).code == .unexpectedNull)
        #expect(
            try jsonError(
                #"{"resourceType": "Patient", "_id": {"id": "x"}, "name": [{"_text": {"id": "y"}, "id": "n", "_id": "z"}]}"#
            ).code
                == .unknownElement)

        let order = try xmlError(
            "<Patient xmlns=\"http://hl7.org/fhir\"><gender value=\"male\"/>\n<active value=\"true\"/></Patient>")
        #expect(order.code == .elementOrder && order.location?.line == 2 && order.fhirPath == "Patient.active")
        #expect(
            try xmlError(#"<Patient xmlns="http://hl7.org/fhir"><active value="true" foo="x"/></Patient>"#).code
                == .unknownElement)
        #expect(try xmlError(#"<Patient xmlns="http://hl7.org/fhir"><active value=""/></Patient>"#).code == .emptyValue)
        #expect(
            try xmlError(#"<Patient xmlns="http://hl7.org/fhir"><active value="yes"/></Patient>"#).code
                == .invalidPrimitive)
        #expect(
            try xmlError(
                #"<Patient xmlns="http://hl7.org/fhir"><active value="true"/><active value="true"/></Patient>"#
            ).code
                == .invalidValue)
        #expect(
            try xmlError(#"<Patient xmlns="http://hl7.org/fhir"><name>text</name></Patient>"#).code == .unknownElement)
        #expect(
            try xmlError("<!DOCTYPE Patient [<!ENTITY x \"y\">]><Patient xmlns=\"http://hl7.org/fhir\"/>").code
                == .syntax)
        #expect(
            try xmlError(#"<Patient xmlns="http://hl7.org/fhir"><id value="a"/><name><id value="n"/></name></Patient>"#)
                .code
                == .unknownElement)
    }

    @Test func limitsApply() throws {
        let index = try #require(Self.index)
        var limits = FHIRReadLimits.default
        limits.maxDepth = 4
        let deep =
            #"{"resourceType": "Patient", "name": [{"period": {"start": "2020"}}], "contact": [{"name": {"given": ["x"]}}]}"#
        #expect(throws: FHIRDiagnostic.self) {
            try FHIRElementJSONReader(index: index, limits: limits).read(Array(deep.utf8))
        }
        let deepXML =
            #"<Patient xmlns="http://hl7.org/fhir"><contact><name><period><start value="2020"/></period></name></contact></Patient>"#
        do {
            _ = try FHIRElementXMLReader(index: index, limits: limits).read(Array(deepXML.utf8))
            Issue.record("expected the depth limit")
        } catch {
            #expect(error.code == .tooDeep)
        }
        limits = .default
        limits.maxStringBytes = 8
        do {
            _ = try FHIRElementJSONReader(index: index, limits: limits).read(
                Array(#"{"resourceType": "Patient", "id": "0123456789"}"#.utf8))
            Issue.record("expected the string limit")
        } catch {
            #expect(error.code == .tooLarge)
        }
    }

    @Test func lenientReadingDropsUnknownElementsWithAWarningEach() throws {
        let index = try #require(Self.index)
        let (patient, dropped) = try FHIRElementJSONReader(index: index).readLeniently(
            Array(
                #"{"resourceType": "Patient", "nickname": "x", "active": true, "name": [{"alias": "y"}, {"text": "z"}]}"#
                    .utf8))
        #expect(dropped.map(\.fhirPath) == ["Patient.nickname", "Patient.name[0].alias"])
        #expect(dropped.allSatisfy { $0.severity == .warning && $0.code == .unknownElement })
        #expect(patient.child(named: "active")?.value == "true")
        let (fromXML, droppedXML) = try FHIRElementXMLReader(index: index).read(
            Array(#"<Patient xmlns="http://hl7.org/fhir"><nickname value="x"/><active value="true"/></Patient>"#.utf8),
            lenient: true)
        #expect(droppedXML.count == 1 && fromXML.children.count == 1)
    }

    @Test func writesBothFormatsAsTheTypedWritersDo() throws {
        let text = """
            {"resourceType": "Patient", "id": "p1", "text": {"status": "generated",
             "div": "<div xmlns=\\"http://www.w3.org/1999/xhtml\\"><p></p><p/>a<br/></div>"},
             "name": [{"given": ["A", null], "_given": [null, {"id": "g2"}]}],
             "birthDate": "1974-12", "_birthDate": {"extension": [{"url": "http://example.org/t", "valueDecimal": 1.50}]}}
            """
        let patient = try json(text)
        for pretty in [false, true] {
            let written = try FHIRElementJSONWriter(pretty: pretty).write(patient)
            #expect(try JSONTree.parse(written) == JSONTree.parse(Array(text.utf8)))
            let xmlBytes = try FHIRElementXMLWriter(pretty: pretty).write(patient)
            let back = try FHIRElementJSONWriter().write(
                try FHIRElementXMLReader(index: #require(Self.index)).read(xmlBytes))
            #expect(
                try JSONTree.parse(back) == JSONTree.parse(Array(text.utf8)),
                "\(String(decoding: xmlBytes, as: UTF8.self))")
        }
        let compact = String(decoding: try FHIRElementXMLWriter().write(patient), as: UTF8.self)
        #expect(compact.contains(#"<given value="A"/><given id="g2"/>"#))
        #expect(
            compact.contains(
                #"<birthDate value="1974-12"><extension url="http://example.org/t"><valueDecimal value="1.50"/>"#))
        #expect(compact.contains("<p></p><p/>a<br/>"))
    }

    @Test func narrativeKeepsEmptyElementsAsWrittenOnTheTypedPath() throws {
        let source = """
            <Patient xmlns="http://hl7.org/fhir"><text><status value="generated"/>\
            <div xmlns="http://www.w3.org/1999/xhtml"><p></p><p/><br/><td></td></div></text></Patient>
            """
        let patient = try FHIRXMLDecoder().decode(Patient.self, from: Array(source.utf8))
        let div = try #require(patient.text?.div)
        #expect(div.text.contains("<p></p><p/><br/><td></td>"), "\(div.text)")
        let xmlAgain = String(decoding: try FHIRXMLEncoder().encode(patient), as: UTF8.self)
        #expect(xmlAgain.contains("<p></p><p/><br/><td></td>"))
        let element = try xml(source)
        #expect(element.child(named: "text")?.child(named: "div")?.value?.contains("<p></p><p/><br/><td></td>") == true)
    }
}
