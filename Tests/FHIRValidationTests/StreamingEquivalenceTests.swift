import FHIRCore
import FHIRTestSupport
import FHIRValidation
import FHIRValidationIO
import Foundation
import IVIGSamples
import Testing

/// Streaming validation (two passes, each record validated in the context of its patient's
/// group) must find exactly what validation of one context holding every record finds (the
/// whole-context implementation `validate` had before, kept as ``ValidationRun`` for this test).
@Suite struct StreamingEquivalenceTests {
    /// `file:line:col: severity: message [rule] (FHIRPath)` of every finding, sorted.
    private static func lines(_ findings: [ValidationFinding]) -> [String] { findings.map(\.description).sorted() }

    private static func reference(_ files: [(path: String, format: ValidationSource.Format)]) throws -> [ValidationFinding] {
        let sources = try files.map { file in
            ValidationSource(name: file.path, bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: file.path))), format: file.format)
        }
        return ValidationRun(validator: ValidationHarness.validator).validate(sources).flatMap(\.findings)
    }

    private static func format(_ path: String) -> ValidationSource.Format {
        switch (path as NSString).pathExtension {
        case "ndjson": .ndjson
        case "xml": .xml
        default: .json
        }
    }

    /// Generated records with clinical faults and every kind of damage, and cross-record faults: patients and
    /// orders removed (references left dangling), and the records split across two files by
    /// type (as a Bulk Data export is), so a patient's records are in both.
    @Test func generatedDamagedRecordsSplitByTypeGiveTheSameFindings() throws {
        let folder = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        var text: [UInt8] = []
        // Sample data validates, so clinical faults are injected for the dosing rules to fire.
        let faults = SampleFaultRate(perTenThousand: 2_000)
        try IVIGSampleWriter(format: .ndjson, faults: faults).write(count: 1_200, seed: 11) { text += $0 }
        var lines = text.split(separator: 0x0A).map(Array.init)
        var random = SeededGenerator(seed: 5)
        for (index, damage) in RecordDamage.catalogue.enumerated() {
            let at = 7 + index * (lines.count - 20) / RecordDamage.catalogue.count
            lines[at] = damage.apply(to: lines[at], random: &random)
        }
        var clinical: [[UInt8]] = [], people: [[UInt8]] = []
        var droppedPatients = 0, droppedOrders = 0
        for line in lines {
            let text = String(decoding: line, as: UTF8.self)
            if text.contains(#""resourceType":"Patient""#) {
                droppedPatients += 1
                if droppedPatients % 9 == 0 { continue }
                people.append(line)
            } else if text.contains(#""resourceType":"MedicationRequest""#) {
                droppedOrders += 1
                if droppedOrders % 11 == 0 { continue }
                clinical.append(line)
            } else if text.contains(#""resourceType":"Observation""#) || text.contains(#""resourceType":"Condition""#) {
                people.append(line)
            } else {
                clinical.append(line)
            }
        }
        let first = folder.appendingPathComponent("a-clinical.ndjson"), second = folder.appendingPathComponent("b-people.ndjson")
        try Data(clinical.joined(separator: [0x0A])).write(to: first)
        try Data(people.joined(separator: [0x0A])).write(to: second)

        let expected = try Self.reference([(first.path, .ndjson), (second.path, .ndjson)])
        for jobs in [1, 2] {
            let streamed = try ValidationHarness.streamed([first.path, second.path], jobs: jobs)
            #expect(Self.lines(streamed.findings) == Self.lines(expected))
            #expect(streamed.summary.records == clinical.count + people.count)
        }
        // The data exercises the cross-record rules and the structural ones.
        let rules = Set(expected.map(\.ruleID))
        for rule in ["ivig-admin-dose", "ivig-context-weight", "struct-syntax", "struct-unknown-element"] {
            #expect(rules.contains(rule), "\(rule) does not fire")
        }
        #expect(rules.count >= 8)
    }

    /// The validation examples of missing context and the NDJSON one, in JSON and XML,
    /// validated together as one context: records whose orders, weights and medications are in
    /// other files, or absent. (Every example is validated by `OutcomeAndRulesTests`.)
    @Test func validationExamplesGiveTheSameFindings() throws {
        let root = SharedCorpus.packageRoot.appendingPathComponent("Examples/validation")
        let files = FileManager.default.enumerator(atPath: root.path)!.compactMap { $0 as? String }
            .filter { ["json", "xml", "ndjson"].contains(($0 as NSString).pathExtension) }
            .filter { $0.contains("context/") || $0.hasPrefix("ndjson/") || $0.contains("valid/cidp") }
            .map { root.appendingPathComponent($0).path }.sorted()
        #expect(files.count >= 6)
        let expected = try Self.reference(files.map { ($0, Self.format($0)) })
        let streamed = try ValidationHarness.streamed(files)
        #expect(Self.lines(streamed.findings) == Self.lines(expected))
        #expect(Set(expected.map(\.ruleID)).count >= 5)
    }
}
