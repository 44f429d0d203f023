import FHIRCore
import LocalRecords
import Testing

/// FHIR written elsewhere (no typed unit text, other spellings) still maps back, by the rules in
/// Mappings/README.md, or is refused with the ConceptMap searched.
@Suite struct ForeignFHIRTests {
    /// The MMN baseline weight Observation with its valueQuantity replaced.
    static func weight(_ quantity: Quantity) throws -> AnyResource {
        guard
            case .observation(var observation) = try FHIRToLocalErrorTests.exampleResource(
                "mmn-first-course", id: "MMN-A-1")
        else {
            throw Unexpected()
        }
        observation.value = .quantity(quantity)
        return .observation(observation)
    }

    struct Unexpected: Error {}

    static func unit(text: String?, code: String) throws -> String? {
        let quantity = Quantity(
            value: .init(try FHIRDecimal("154")), unit: text.map { .init($0) },
            system: "http://unitsofmeasure.org", code: .init(code))
        guard
            case .assessment(let assessment) = try FHIRToLocal(mappings: try LocalTestFiles.loadMappings())
                .record(for: try weight(quantity))
        else { throw Unexpected() }
        #expect(assessment.result.value.text == "154")
        return assessment.result.unit
    }

    @Test func aUnitTextTheMapKnowsIsKept() throws {
        #expect(try Self.unit(text: "lb", code: "[lb_av]") == "lb")
        #expect(try Self.unit(text: "lbs", code: "[lb_av]") == "lbs")
    }

    @Test func withoutAKnownTextTheSpellingOfTheCodeOrTheEqualOneComesBack() throws {
        #expect(try Self.unit(text: nil, code: "kg") == "kg")  // spelled like the UCUM code
        #expect(try Self.unit(text: "kilogram", code: "kg") == "kg")
        #expect(try Self.unit(text: nil, code: "[lb_av]") == "lbs")  // the map's `equal` spelling
        #expect(try Self.unit(text: "pound", code: "[lb_av]") == "lbs")
    }

    @Test func aUCUMCodeNoLocalUnitMapsToIsRefused() throws {
        let thrown = #expect(throws: LocalRecordError.self) { _ = try Self.unit(text: "stone", code: "[stone_av]") }
        #expect(thrown?.code == .unknownCode)
        #expect(thrown?.field == "result.unit")
        #expect(thrown?.recordID == "MMN-A-1")
        #expect(thrown?.conceptMap?.contains("ConceptMap/ivig-unit") == true)
        #expect(thrown?.description.contains("http://unitsofmeasure.org|[stone_av]") == true)
    }

    @Test func aUnitCodeOutsideUCUMIsRefused() throws {
        let quantity = Quantity(
            value: .init(try FHIRDecimal("70")), unit: "kg", system: "http://example.org/units", code: "kg")
        let thrown = #expect(throws: LocalRecordError.self) {
            _ = try FHIRToLocal(mappings: try LocalTestFiles.loadMappings()).record(for: try Self.weight(quantity))
        }
        #expect(thrown?.code == .invalidValue)
        #expect(thrown?.fhirPath == "Observation.valueQuantity.system")
    }
}
