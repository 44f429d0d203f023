import FHIRCore
import FHIRTestSupport
import FHIRValidation
import Foundation
import LocalRecords
import Testing

/// The two halves agree: the FHIR the local mapper writes from the realistic local records of
/// `Examples/local/` (and the same records in the second hospital's codes) passes the project's
/// own validation (structure, UCUM units, IVIG dosing) without any finding (no error, no warning,
/// and no information about missing context, so every dosing rule was checked), as one Bundle
/// and as a batch of separate resources.
@Suite struct MappedExamplesValidateTests {
    static let root = SharedCorpus.packageRoot
    static let folder = root.appendingPathComponent("Examples/local")

    static let validator: Validator = {
        do {
            return Validator(
                rules: try DosingRules(contentsOf: root.appendingPathComponent("Mappings/ivig-dosing-rules.json").path))
        } catch {
            fatalError("Mappings/ivig-dosing-rules.json cannot be loaded: \(error)")
        }
    }()

    /// Every example, with the mapping folder its codes are in.
    struct Example: CustomTestStringConvertible, Sendable {
        let name: String
        let file: URL
        let mappings: String
        var testDescription: String { name }
    }

    static func examples() throws -> [Example] {
        let ours = root.appendingPathComponent("Mappings").path
        let theirs = root.appendingPathComponent("Mappings/examples/other-hospital").path
        func list(_ folder: URL, _ mappings: String, prefix: String) throws -> [Example] {
            try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".ndjson") }.sorted()
                .map {
                    Example(
                        name: prefix + String($0.dropLast(".ndjson".count)), file: folder.appendingPathComponent($0),
                        mappings: mappings)
                }
        }
        return try list(folder, ours, prefix: "")
            + list(folder.appendingPathComponent("other-hospital"), theirs, prefix: "other-hospital/")
    }

    /// The mapped Bundle of an example; every record maps (no rejects).
    static func bundle(_ example: Example) throws -> FHIRCore.Bundle {
        let mappings = try LocalMappings.load(directory: example.mappings)
        let (bundle, rejects) = LocalToFHIR(mappings: mappings).bundle(
            forNDJSON: [UInt8](try Data(contentsOf: example.file)), file: example.file.lastPathComponent)
        #expect(rejects.isEmpty, "\(rejects.map { $0.description })")
        return bundle
    }

    static func keys(_ findings: [ValidationFinding]) -> [String] {
        findings.map { "\($0.severity.rawValue) \($0.ruleID) \($0.fhirPath ?? "-")" }.sorted()
    }

    @Test(arguments: try examples())
    func theMappedBundleHasNoFinding(_ example: Example) throws {
        let bundle = try Self.bundle(example)
        #expect(bundle.entry.count == (try Data(contentsOf: example.file)).split(separator: UInt8(ascii: "\n")).count)
        let findings = Self.validator.validate(.bundle(bundle))
        #expect(
            !findings.contains { $0.severity.isError }, "\(findings.filter { $0.severity.isError }.map { $0.message })")
        #expect(
            !findings.contains { $0.severity == .warning },
            "\(findings.filter { $0.severity == .warning }.map { $0.message })")
        // Nor any information: every order names the weight it was dosed on, every infusion its
        // order, so no dosing rule lacks context and every one of them was checked.
        #expect(Self.keys(findings).isEmpty, "\(Self.keys(findings))")
    }

    /// The checks above ran on real context: a local order whose dose does not fit its weight is
    /// caught once mapped (the mapped FHIR carries what the dosing rules need).
    @Test func aMappedOrderWithTooHighADoseIsAnError() throws {
        let example = try #require(try Self.examples().first { $0.name == "cidp-induction-maintenance" })
        var text = String(decoding: try Data(contentsOf: example.file), as: UTF8.self)
        // The maintenance order: 70 g (1 g/kg of 150 lb) becomes 100 g, 1.47 g/kg in one day.
        let maintenance = #""dose_per_day":{"value":70,"unit":"gm"},"days":1,"interval""#
        #expect(text.contains(maintenance))
        text = text.replacingOccurrences(
            of: maintenance, with: #""dose_per_day":{"value":100,"unit":"gm"},"days":1,"interval""#)
        let mappings = try LocalMappings.load(directory: example.mappings)
        let (bundle, rejects) = LocalToFHIR(mappings: mappings).bundle(forNDJSON: Array(text.utf8))
        #expect(rejects.isEmpty)
        let errors = Self.validator.validate(.bundle(bundle)).filter { $0.severity.isError }
        #expect(Set(errors.map(\.ruleID)) == ["ivig-daily-dose", "ivig-admin-dose"], "\(errors.map { $0.message })")
    }

    @Test(arguments: try examples())
    func theMappedResourcesAsABatchHaveNoFinding(_ example: Example) throws {
        // As `convert --to ndjson` writes them: one resource per record, one context.
        let context = ValidationContext(records: try Self.bundle(example).entry.compactMap { $0.resource })
        let findings = context.records.indices.flatMap { Self.validator.validate(record: $0, in: context) }
        // References are urn:uuid: of the records' name-based UUID ids, so they resolve between
        // separate resources as they do inside the Bundle: nothing lacks context.
        #expect(Self.keys(findings).isEmpty, "\(findings.map { $0.message })")
    }
}
