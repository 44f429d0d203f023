import FHIRCore
import Foundation
import LocalRecords
import Testing

/// An order's `days` and maintenance `interval` in standard FHIR Timing: a single course is
/// `count` days once a day; a course repeated every `interval` is `frequency` = days per
/// `period` = interval (no extension), so validators read the interval without knowing ours.
@Suite struct MaintenanceTimingTests {
    /// The CIDP maintenance order of the example, with `edit` applied to its line.
    private func order(_ edit: (old: String, new: String)? = nil) throws -> LocalRecord {
        let line = try #require(
            LocalNDJSON.lines(try LocalTestFiles.ndjson("cidp-induction-maintenance")).first {
                String(decoding: $0.bytes, as: UTF8.self).contains(#""id":"CIDP-MNT""#)
            })
        var text = String(decoding: line.bytes, as: UTF8.self)
        if let edit {
            try #require(text.contains(edit.old))
            text = text.replacingOccurrences(of: edit.old, with: edit.new)
        }
        return try LocalRecordReader().record(fromJSON: Array(text.utf8))
    }

    private func timing(_ resource: AnyResource) throws -> Timing.Repeat {
        guard case .medicationRequest(let request) = resource else { throw TimingTestError.notAnOrder }
        return try #require(request.dosageInstruction.first?.timing?.repeat)
    }

    private enum TimingTestError: Error { case notAnOrder }

    private static let originalText = "http://hl7.org/fhir/StructureDefinition/originalText"

    @Test func oneDayEveryThreeWeeksIsAFrequencyPerPeriod() throws {
        let mappings = try LocalTestFiles.loadMappings()
        let record = try order()
        let resource = try LocalToFHIR(mappings: mappings).resource(for: record)
        let repetition = try timing(resource)
        #expect(repetition.count == nil)
        #expect(repetition.frequency?.value == 1)
        #expect(repetition.period?.value?.text == "3")
        #expect(repetition.periodUnit?.value == "wk")
        #expect(repetition.periodUnit?.extension.isEmpty == true, "the typed unit is the UCUM code: nothing to keep")
        guard case .medicationRequest(let request) = resource else { return }
        #expect(!request.dosageInstruction[0].extension.contains { $0.url?.hasSuffix("/course-interval") == true })
        #expect(try FHIRToLocal(mappings: mappings).record(for: resource) == record)
    }

    @Test func theTypedUnitOfTheIntervalComesBack() throws {
        let mappings = try LocalTestFiles.loadMappings()
        let record = try order((#""interval":{"value":3,"unit":"wk"}"#, #""interval":{"value":3,"unit":"weeks"}"#))
        let resource = try LocalToFHIR(mappings: mappings).resource(for: record)
        let repetition = try timing(resource)
        #expect(repetition.periodUnit?.value == "wk")
        let typed = repetition.periodUnit?.extension.first { $0.url == Self.originalText }
        #expect(typed?.value == .string("weeks"))
        #expect(try FHIRToLocal(mappings: mappings).record(for: resource) == record)
    }

    @Test func aMultiDayCourseEveryFourWeeksIsDaysPerPeriod() throws {
        let mappings = try LocalTestFiles.loadMappings()
        let record = try order(
            (#""days":1,"interval":{"value":3,"unit":"wk"}"#, #""days":2,"interval":{"value":28,"unit":"days"}"#))
        let resource = try LocalToFHIR(mappings: mappings).resource(for: record)
        let repetition = try timing(resource)
        #expect(repetition.count == nil)
        #expect(repetition.frequency?.value == 2)
        #expect(repetition.period?.value?.text == "28")
        #expect(repetition.periodUnit?.value == "d")
        #expect(repetition.periodUnit?.extension.first?.value == .string("days"))
        #expect(try FHIRToLocal(mappings: mappings).record(for: resource) == record)
    }

    @Test func aSingleCourseKeepsItsCount() throws {
        let mappings = try LocalTestFiles.loadMappings()
        let record = try order((#""days":1,"interval":{"value":3,"unit":"wk"},"#, #""days":2,"#))
        let repetition = try timing(try LocalToFHIR(mappings: mappings).resource(for: record))
        #expect(repetition.count?.value == 2)
        #expect(repetition.frequency?.value == 1)
        #expect(repetition.period?.value?.text == "1")
        #expect(repetition.periodUnit?.value == "d")
    }

    @Test func aTimingWithoutCountThatIsNoIntervalIsRefused() throws {
        let mappings = try LocalTestFiles.loadMappings()
        guard case .medicationRequest(var request) = try LocalToFHIR(mappings: mappings).resource(for: try order())
        else {
            Issue.record("expected a MedicationRequest")
            return
        }
        // Once a day with no count and no bounds: neither the days of a course nor an interval.
        request.dosageInstruction[0].timing?.repeat = Timing.Repeat(
            frequency: 1, period: .init(try FHIRDecimal("1")), periodUnit: "d")
        let daily = #expect(throws: LocalRecordError.self) {
            _ = try FHIRToLocal(mappings: mappings).record(for: .medicationRequest(request))
        }
        #expect(daily?.field == "interval")
        #expect(daily?.fhirPath == "MedicationRequest.dosageInstruction[0].timing.repeat.period")
        request.dosageInstruction[0].timing?.repeat = Timing.Repeat(frequency: 1)
        let none = #expect(throws: LocalRecordError.self) {
            _ = try FHIRToLocal(mappings: mappings).record(for: .medicationRequest(request))
        }
        #expect(none?.field == "days")
        #expect(none?.code == .missingField)
    }
}
