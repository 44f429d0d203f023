import FHIRCore
import FHIRJSON
import Testing

/// What the JSON reader refuses, and that each refusal says what, where and why.
@Suite struct RejectionTests {
    /// Decodes and returns the diagnostic thrown; fails the test when nothing is thrown.
    func rejection(_ json: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> FHIRDiagnostic? {
        rejection(Array(json.utf8), sourceLocation: sourceLocation)
    }

    func rejection(_ bytes: [UInt8], sourceLocation: Testing.SourceLocation = #_sourceLocation) -> FHIRDiagnostic? {
        do {
            let value = try FHIRJSONDecoder().decode(AnyResource.self, from: bytes)
            Issue.record("expected a rejection, decoded \(value.resourceType)", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    @Test func duplicateKey() throws {
        let error = try #require(rejection(#"{"resourceType":"Patient","active":true,"active":false}"#))
        #expect(error.code == .duplicateKey)
        #expect(error.message == "duplicate key 'active' in one object")
        #expect(error.location?.line == 1 && error.location?.column == 41)
    }

    @Test func duplicateKeyWrittenWithAnEscape() throws {
        let error = try #require(rejection(#"{"resourceType":"Patient","active":true,"\u0061ctive":false}"#))
        #expect(error.message == "duplicate key 'active' in one object")
    }

    /// The scanner compares keys only when a filter of their hashes says they may repeat; a key
    /// written with an escape sends every later key of its object to the full comparison.
    @Test func duplicateKeyAfterAKeyWrittenWithAnEscape() throws {
        let error = try #require(rejection(#"{"resourceType":"Patient","\u0061ctive":true,"active":false}"#))
        #expect(error.message == "duplicate key 'active' in one object")
    }

    @Test func duplicateKeysAreFoundAmongMoreKeysThanTheFilterHasBits() throws {
        let keys = (0..<100).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        // Distinct keys pass the scanner (and are then refused as unknown elements)…
        let distinct = try #require(rejection("{\"resourceType\":\"Patient\",\(keys)}"))
        #expect(distinct.code != .duplicateKey)
        // …and one key given again, in an object or nested deeper, is found.
        let repeated = try #require(rejection("{\"resourceType\":\"Patient\",\(keys),\"k57\":1}"))
        #expect(repeated.message == "duplicate key 'k57' in one object")
        let nested = try #require(rejection("{\"resourceType\":\"Patient\",\"meta\":{\(keys),\"k3\":1}}"))
        #expect(nested.message == "duplicate key 'k3' in one object")
    }

    @Test func invalidUTF8() throws {
        var bytes = Array(#"{"resourceType":"Patient","id":"p"#.utf8)
        bytes += [0xC3, 0x28]  // a lead byte followed by a non-continuation byte
        bytes += Array(#""}"#.utf8)
        let error = try #require(rejection(bytes))
        #expect(error.code == .invalidUTF8)
        #expect(error.message == "invalid UTF-8 byte 0xC3 in a string")
        #expect(error.location?.column == 34)
    }

    @Test(arguments: [
        (#"{"resourceType":"Patient","id":"a\xb"}"#, #"'\x' is not a JSON escape"#),
        (#"{"resourceType":"Patient","id":"a\ud800b"}"#, "is a high surrogate without a low surrogate after it"),
        (#"{"resourceType":"Patient","id":"a\udc00"}"#, "is a lone low surrogate"),
        (#"{"resourceType":"Patient","id":"a\u12"}"#, "\\u must be followed by four hex digits"),
        ("{\"resourceType\":\"Patient\",\"id\":\"a\tb\"}", "control character U+09 inside a string must be escaped"),
    ])
    func badEscapes(json: String, expected: String) throws {
        let error = try #require(rejection(json))
        #expect(error.code == .invalidEscape)
        #expect(error.message.contains(expected), "message was: \(error.message)")
    }

    @Test(arguments: [
        (#"{"resourceType":"Observation","valueInteger":01}"#, "'01' has a leading zero, which JSON and FHIR forbid"),
        (#"{"resourceType":"Observation","valueQuantity":{"value":NaN}}"#, "'NaN' is not a JSON number"),
        (#"{"resourceType":"Observation","valueQuantity":{"value":+1}}"#, "'+1' is not a JSON number"),
        (#"{"resourceType":"Observation","valueQuantity":{"value":.5}}"#, "'.5' is not a JSON number"),
        (#"{"resourceType":"Observation","valueQuantity":{"value":1.}}"#, "a digit must follow the decimal point"),
        (#"{"resourceType":"Observation","valueQuantity":{"value":Infinity}}"#, "'Infinity' is not a JSON number"),
    ])
    func forbiddenNumbers(json: String, expected: String) throws {
        let error = try #require(rejection(json))
        #expect(error.code == .invalidNumber)
        #expect(error.message.contains(expected), "message was: \(error.message)")
    }

    @Test func booleanGivenAsString() throws {
        let error = try #require(rejection(#"{"resourceType":"Patient","active":"true"}"#))
        #expect(error.code == .wrongType)
        #expect(error.message == "expected a boolean (true or false) for 'active', found a string")
        #expect(error.fhirPath == "Patient.active")
        #expect(error.location?.column == 36)
    }

    @Test func decimalGivenAsString() throws {
        let json = """
            {"resourceType": "MedicationRequest", "status": "active",
             "dosageInstruction": [{"doseAndRate": [{"doseQuantity": {"value": "0.4", "unit": "g/kg"}}]}]}
            """
        let error = try #require(rejection(json))
        #expect(error.code == .wrongType)
        #expect(error.message.hasPrefix("expected a JSON number (a FHIR decimal is written unquoted)"))
        #expect(error.fhirPath == "MedicationRequest.dosageInstruction[0].doseAndRate[0].doseQuantity.value")
        // The position is that of the offending value: line 2, at the quote of "0.4".
        let secondLine = json.split(separator: "\n")[1]
        let column =
            secondLine.distance(from: secondLine.startIndex, to: secondLine.firstRange(of: "\"0.4\"")!.lowerBound) + 1
        #expect(error.location?.line == 2 && error.location?.column == column)
    }

    @Test func integerWithAFraction() throws {
        let error = try #require(rejection(#"{"resourceType":"Observation","valueInteger":1.5}"#))
        #expect(error.message == "expected an integer, found 1.5 (FHIR integers have no fraction or exponent)")
        #expect(error.fhirPath == "Observation.valueInteger")
    }

    @Test func stringGivenAsObject() throws {
        let error = try #require(rejection(#"{"resourceType":"Patient","gender":{"code":"female"}}"#))
        #expect(error.message == "expected a string for 'gender', found an object")
    }

    @Test(arguments: [
        (#"{"resourceType":"Patient","maritalStatus":{}}"#, "empty object", "Patient.maritalStatus"),
        (#"{"resourceType":"Patient","identifier":[]}"#, "empty array", "Patient.identifier"),
        (#"{"resourceType":"Patient","gender":""}"#, "empty string", "Patient.gender"),
        (
            #"{"resourceType":"Patient","name":[{"given":["A"],"_given":[{}]}]}"#, "empty object",
            "Patient.name[0].given[0]"
        ),
    ])
    func emptyValues(json: String, expected: String, path: String) throws {
        let error = try #require(rejection(json))
        #expect(error.code == .emptyValue)
        #expect(error.message.hasPrefix(expected + ": FHIR JSON does not allow"))
        #expect(error.fhirPath == path)
    }

    @Test func nestingPastTheLimit() throws {
        let json =
            #"{"resourceType":"Basic","x":"# + String(repeating: "[", count: 70) + String(repeating: "]", count: 70)
            + "}"
        let error = try #require(rejection(json))
        #expect(error.code == .tooDeep)
        #expect(error.message == "nesting deeper than 64 levels (limit maxDepth = 64)")
        #expect(error.location?.column == 92)
    }

    @Test func theNestingLimitCanBeRaised() throws {
        let deep = String(repeating: "[", count: 70) + String(repeating: "]", count: 70)
        #expect(throws: Never.self) { try JSONTree.parse(Array(deep.utf8), maxDepth: 100) }
    }

    @Test func moreThanOneChoice() throws {
        let error = try #require(
            rejection(
                #"{"resourceType":"Observation","status":"final","valueQuantity":{"value":1},"valueString":"x"}"#))
        #expect(error.code == .multipleChoices)
        #expect(
            error.message
                == "more than one choice of value[x]: valueQuantity, valueString (a [x] element takes exactly one type)"
        )
        #expect(error.fhirPath == "Observation.valueString")
    }

    @Test func choiceGivenOnlyAsPrimitiveExtensionStillCounts() throws {
        let error = try #require(
            rejection(
                #"{"resourceType":"Observation","valueBoolean":true,"_valueString":{"id":"x"}}"#))
        #expect(error.code == .multipleChoices)
    }

    @Test func nullMember() throws {
        let error = try #require(rejection(#"{"resourceType":"Patient","gender":null}"#))
        #expect(error.code == .unexpectedNull)
        #expect(error.message == "'gender' is null: FHIR JSON leaves an absent element out instead")
    }

    @Test func misalignedPrimitiveArrays() throws {
        let error = try #require(
            rejection(
                #"{"resourceType":"Patient","name":[{"given":["A","B"],"_given":[{"id":"x"}]}]}"#))
        #expect(error.message == "'_given' has 1 entries but 'given' has 2; the two arrays must line up index by index")
        #expect(error.fhirPath == "Patient.name[0].given")
    }

    @Test func nullInBothPrimitiveArrays() throws {
        let error = try #require(
            rejection(
                #"{"resourceType":"Patient","name":[{"given":["A",null],"_given":[{"id":"x"},null]}]}"#))
        #expect(error.code == .unexpectedNull)
        #expect(error.fhirPath == "Patient.name[0].given[1]")
    }

    @Test func unknownElementIsAnErrorByDefault() throws {
        let error = try #require(rejection(#"{"resourceType":"Patient","active":true,"colour":"blue"}"#))
        #expect(error.code == .unknownElement)
        #expect(error.message.hasPrefix("unknown element 'colour'"))
        #expect(error.fhirPath == "Patient.colour")
    }

    @Test func lenientDecodingListsExactlyWhatWasDropped() throws {
        let json = #"{"resourceType":"Patient","active":true,"colour":"blue","name":[{"family":"X","nick":"Y"}]}"#
        let (patient, dropped) = try FHIRJSONDecoder().decodeLeniently(Patient.self, from: Array(json.utf8))
        #expect(patient.active?.value == true)
        #expect(patient.name.first?.family?.value == "X")
        #expect(dropped.map(\.fhirPath) == ["Patient.colour", "Patient.name[0].nick"])
        #expect(dropped.allSatisfy { $0.severity == .warning && $0.code == .unknownElement })
        #expect(dropped.first?.message == "unknown element 'colour' was dropped (not part of this FHIR R4 type)")
    }

    @Test func unsupportedResourceType() throws {
        let error = try #require(rejection(#"{"resourceType":"Encounter","status":"finished"}"#))
        #expect(error.code == .unsupportedResourceType)
        #expect(
            error.message.hasPrefix("unsupported resource type 'Encounter'; ivig-fhir supports AdverseEvent, Bundle"))
    }

    @Test func unsupportedResourceInsideABundleNamesTheEntry() throws {
        let json = #"{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Encounter"}}]}"#
        let error = try #require(rejection(json))
        #expect(error.code == .unsupportedResourceType)
        #expect(error.fhirPath == "Bundle.entry[0].resource.ofType(Encounter).resourceType")
    }

    @Test func errorInsideABundleNamesTheResourceType() throws {
        let json = """
            {"resourceType":"Bundle","type":"collection","entry":[
              {"resource":{"resourceType":"Patient","active":true}},
              {"resource":{"resourceType":"MedicationRequest","status":"active","intent":"order",
                "dosageInstruction":[{"doseAndRate":[{"rateQuantity":{"value":1,"unit":5}}]}]}}]}
            """
        let error = try #require(rejection(json))
        #expect(
            error.fhirPath
                == "Bundle.entry[1].resource.ofType(MedicationRequest).dosageInstruction[0].doseAndRate[0].rateQuantity.unit"
        )
        #expect(error.location?.line == 4)
        #expect(error.description.hasPrefix("4:"))
    }

    @Test func missingResourceType() throws {
        let error = try #require(rejection(#"{"id":"x"}"#))
        #expect(error.code == .missing)
        #expect(error.message == "missing 'resourceType': a resource must say its type")
    }

    @Test func trailingGarbageAndTruncation() throws {
        let trailing = try #require(rejection(#"{"resourceType":"Patient"} x"#))
        #expect(trailing.message == "unexpected 'x' after the end of the JSON value")
        let truncated = try #require(rejection(#"{"resourceType":"Patient","#))
        #expect(truncated.message == "expected a quoted key, found end of input")
    }

    @Test func invalidDateNamesTheFormat() throws {
        let error = try #require(rejection(#"{"resourceType":"Patient","birthDate":"1961-13-01"}"#))
        #expect(error.code == .invalidPrimitive)
        #expect(error.message == "'1961-13-01' is not a valid FHIR date: expected YYYY, YYYY-MM or YYYY-MM-DD")
        #expect(error.fhirPath == "Patient.birthDate")
    }

    @Test func diagnosticsPrintInCompilerStyle() throws {
        let error = try #require(rejection("{\"resourceType\":\"Patient\",\n\"active\":\"yes\"}"))
        #expect(
            error.inFile("in.json").description
                == "in.json:2:10: error: expected a boolean (true or false) for 'active', found a string [Patient.active]"
        )
    }
}
