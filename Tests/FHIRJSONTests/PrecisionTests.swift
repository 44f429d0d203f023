import FHIRCore
import FHIRJSON
import Testing

/// Decimals, dates and times come out exactly as they went in.
@Suite struct PrecisionTests {
    func roundTrip(_ json: String) throws -> String {
        let resource = try FHIRJSONDecoder().decode(AnyResource.self, from: Array(json.utf8))
        return String(decoding: try FHIRJSONEncoder().encode(resource), as: UTF8.self)
    }

    @Test(arguments: ["1.50", "0.010", "1e-3", "100", "1.0E-245", "-0.0", "72.500000000000000000001", "1E+2"])
    func decimalKeepsItsText(lexeme: String) throws {
        let json = #"{"resourceType":"Observation","status":"final","valueQuantity":{"value":\#(lexeme),"unit":"kg"}}"#
        #expect(try roundTrip(json) == json)
        let observation = try FHIRJSONDecoder().decode(Observation.self, from: Array(json.utf8))
        guard case .quantity(let quantity)? = observation.value else {
            Issue.record("valueQuantity was not decoded as a Quantity")
            return
        }
        #expect(quantity.value?.value?.text == lexeme)
    }

    @Test(arguments: [
        "2024", "2024-03", "2024-03-05", "2024-03-05T10:00:00+01:00", "2024-03-05T10:00:00.1230Z",
        "2024-03-05T23:59:60-14:00",
    ])
    func dateTimeKeepsPrecisionAndZone(text: String) throws {
        let json = #"{"resourceType":"Observation","status":"final","effectiveDateTime":"\#(text)"}"#
        #expect(try roundTrip(json) == json)
    }

    @Test func dateTimePartsAreExposed() throws {
        let value = try FHIRDateTime("2024-03-05T10:00:00.1230+01:00")
        #expect(value.parts.precision == .second)
        #expect(value.parts.fraction == "1230")
        #expect(value.parts.timeZone == "+01:00")
        #expect(try FHIRDateTime("2024-03").parts.precision == .month)
        #expect(try FHIRDate("2024").parts.precision == .year)
    }

    /// Every part at the ends of its range, and absent parts, read back as written (the parts
    /// are stored in narrower integers than they are shown in).
    @Test func everyPartKeepsItsValueAtTheEndsOfItsRange() throws {
        let first = try FHIRDateTime("0001-01-01T00:00:00Z").parts
        #expect([first.year, first.month, first.day, first.hour, first.minute, first.second] == [1, 1, 1, 0, 0, 0])
        let last = try FHIRInstant("9999-12-31T23:59:60+14:00").parts
        #expect([last.year, last.month, last.day, last.hour, last.minute, last.second] == [9999, 12, 31, 23, 59, 60])
        let year = try FHIRDate("2024").parts
        #expect([year.year, year.month, year.day] == [2024, nil, nil])
        #expect([year.hour, year.minute, year.second] == [nil, nil, nil])
        let time = try FHIRTime("00:00:00.5").parts
        #expect([time.year, time.month, time.day, time.hour, time.minute, time.second] == [nil, nil, nil, 0, 0, 0])
        #expect(time.fraction == "5" && time.timeZone == nil)
        // Equal text, equal parts; a part absent is not the same as a part that is zero.
        #expect(try FHIRTime("00:00:00").parts == FHIRTime("00:00:00").parts)
        #expect(try FHIRDate("2024-01").parts != FHIRDate("2024").parts)
        #expect(Set([try FHIRDate("2024-01-01").parts, try FHIRDate("2024-01-01").parts]).count == 1)
    }

    @Test(arguments: [
        ("dateTime", "2024-03-05T10:00:00"),  // a time needs a zone
        ("dateTime", "2024-03-05T10:00Z"),  // and seconds
        ("dateTime", "0000"),
        ("dateTime", "2024-3-05"),
        ("dateTime", "2024-03-05T10:00:00+15:00"),
        ("date", "2024-03-05T10:00:00Z"),
        ("date", "2024-00"),
        ("instant", "2024-03-05"),
        ("time", "24:00:00"),
        ("time", "10:00"),
    ])
    func malformedTemporalValuesAreRefused(type: String, text: String) {
        let parsed: Bool
        switch type {
        case "date": parsed = (try? FHIRDate(text)) != nil
        case "dateTime": parsed = (try? FHIRDateTime(text)) != nil
        case "instant": parsed = (try? FHIRInstant(text)) != nil
        default: parsed = (try? FHIRTime(text)) != nil
        }
        #expect(!parsed, "\(type) accepted \(text)")
    }

    @Test func instantAndTimeKeepTheirText() throws {
        let json = #"{"resourceType":"Bundle","type":"collection","timestamp":"2024-03-05T10:00:00.000+00:00"}"#
        #expect(try roundTrip(json) == json)
        #expect(try FHIRTime("08:30:00.5").text == "08:30:00.5")
    }

    @Test func malformedDecimalTextIsRefused() {
        #expect(throws: FHIRPrimitiveFormatError.self) { try FHIRDecimal("01.5") }
        #expect(throws: FHIRPrimitiveFormatError.self) { try FHIRDecimal("1,5") }
        #expect(throws: FHIRPrimitiveFormatError.self) { try FHIRDecimal("NaN") }
    }

    @Test func primitiveExtensionsAndNullHolesSurvive() throws {
        let json =
            #"{"resourceType":"Patient","name":[{"given":["A",null,"C"],"_given":[null,{"id":"g2","extension":[{"url":"http://example.org/x","valueString":"y"}]},{"id":"g3"}]}],"birthDate":"1970","_birthDate":{"id":"bd"}}"#
        #expect(try roundTrip(json) == json)
        let patient = try FHIRJSONDecoder().decode(Patient.self, from: Array(json.utf8))
        let given = try #require(patient.name.first?.given)
        #expect(given.map(\.value) == ["A", nil, "C"])
        #expect(given[1].id == "g2" && given[1].extension.first?.url == "http://example.org/x")
        #expect(patient.birthDate?.id == "bd")
    }

    @Test func extensionOnlyPrimitiveWithoutValue() throws {
        let json =
            #"{"resourceType":"Patient","_gender":{"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/data-absent-reason","valueCode":"unknown"}]}}"#
        #expect(try roundTrip(json) == json)
    }

    @Test func narrativeIsKeptAsXHTMLText() throws {
        let div = #"<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>2 g/kg &amp; more</p></div>"#
        let json = #"{"resourceType":"Patient","text":{"status":"generated","div":"\#(div)"}}"#
        #expect(try roundTrip(json) == json)
        let patient = try FHIRJSONDecoder().decode(Patient.self, from: Array(json.utf8))
        #expect(patient.text?.div?.text == #"<div xmlns="http://www.w3.org/1999/xhtml"><p>2 g/kg &amp; more</p></div>"#)
    }

    @Test func outputEscapesOnlyWhatJSONRequires() throws {
        let json =
            #"{"resourceType":"Patient","id":"x","text":{"status":"generated","div":"<div>a/b é \"q\" \\ \n</div>"}}"#
        let output = try roundTrip(json)
        #expect(output.contains(#"a/b é \"q\" \\ \n"#))
    }

    @Test func keysComeOutInSpecificationOrder() throws {
        let json =
            #"{"status":"final","valueString":"x","resourceType":"Observation","code":{"text":"c"},"id":"o1","meta":{"versionId":"1"}}"#
        #expect(
            try roundTrip(json)
                == #"{"resourceType":"Observation","id":"o1","meta":{"versionId":"1"},"status":"final","code":{"text":"c"},"valueString":"x"}"#
        )
    }

    @Test func prettyOutputIsIndentedAndReadsBackEqual() throws {
        let json = #"{"resourceType":"Patient","active":true,"name":[{"given":["A","B"]}]}"#
        let resource = try FHIRJSONDecoder().decode(AnyResource.self, from: Array(json.utf8))
        let pretty = String(decoding: try FHIRJSONEncoder(pretty: true).encode(resource), as: UTF8.self)
        #expect(
            pretty == """
                {
                  "resourceType": "Patient",
                  "active": true,
                  "name": [
                    {
                      "given": [
                        "A",
                        "B"
                      ]
                    }
                  ]
                }

                """)
        #expect(try FHIRJSONDecoder().decode(AnyResource.self, from: Array(pretty.utf8)) == resource)
    }

    @Test func encodingAnEmptyElementIsRefused() {
        let patient = Patient(maritalStatus: CodeableConcept())
        do {
            _ = try FHIRJSONEncoder().encode(patient)
            Issue.record("an empty element was encoded")
        } catch {
            #expect(error.message == "the element has no content: FHIR JSON forbids {}")
            #expect(error.fhirPath == "Patient.maritalStatus")
        }
    }
}
