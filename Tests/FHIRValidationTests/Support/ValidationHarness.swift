import FHIRBatch
import FHIRConformance
import FHIRTestSupport
import FHIRValidation
import FHIRValidationIO
import Foundation

/// Runs validation the way the CLI does (files in, located findings out), for tests.
enum ValidationHarness {
    /// The package's own rules file and product table.
    static let rules: DosingRules = {
        let path = SharedCorpus.packageRoot.appendingPathComponent("Mappings/ivig-dosing-rules.json").path
        do {
            return try DosingRules(contentsOf: path)
        } catch {
            fatalError("Mappings/ivig-dosing-rules.json cannot be loaded: \(error)")
        }
    }()

    static let validator = Validator(rules: rules)

    /// The validator's layers alone: structure by hand, units and dosing.
    static let byHand = RecordValidation(validator: validator)

    /// As `validate` runs it: validation from the definitions (base R4) in place of the structure
    /// layer, with units and dosing; best-practice rules (`dom-6`) left out, so a case shows the
    /// rule it breaks.
    static let fromDefinitions = RecordValidation(
        validator: validator,
        conformance: ConformanceCheck(validator: ConformanceValidator(options: .init(bestPracticeSeverity: nil))))

    /// Streaming validation of files and directories, as `validate` runs it.
    static func streamed(_ paths: [String], jobs: Int = 2, step: RecordValidation = byHand) throws -> (
        findings: [ValidationFinding], summary: StreamingValidation.Summary
    ) {
        let validation = StreamingValidation(step: step, jobs: jobs)
        let (planned, cleanUp) = try validation.plan(inputs: paths)
        defer { cleanUp() }
        var findings: [ValidationFinding] = []
        let summary = try validation.run(planned, problems: { _ in }) { findings += $0.findings }
        return (findings, summary)
    }

    /// The findings of each input (every input, with findings or not), validated together.
    static func reports(_ paths: [String]) throws -> [(file: String, findings: [ValidationFinding])] {
        let validation = StreamingValidation(step: RecordValidation(validator: validator), jobs: 2)
        let (planned, cleanUp) = try validation.plan(inputs: paths)
        defer { cleanUp() }
        var byFile: [String: [ValidationFinding]] = [:]
        _ = try validation.run(planned, problems: { _ in }) { byFile[$0.input, default: []] += $0.findings }
        return planned.inputs.map { ($0.input.displayName, byFile[$0.input.displayName] ?? []) }
    }

    /// Findings for in-memory inputs validated together (written to files named as given, in a
    /// temporary folder; the findings name them as given).
    static func findings(_ inputs: [(name: String, text: String)], step: RecordValidation = byHand)
        -> [ValidationFinding]
    {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ivig-harness-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let paths = try inputs.map { input in
                let url = folder.appendingPathComponent(input.name)
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(input.text.utf8).write(to: url)
                return url.path
            }
            let prefix = folder.path + "/"
            return try streamed(paths, step: step).findings.map { finding in
                var named = finding
                if let file = finding.file, file.hasPrefix(prefix) { named.file = String(file.dropFirst(prefix.count)) }
                return named
            }
        } catch {
            fatalError("the harness cannot validate: \(error)")
        }
    }

    /// Findings for one in-memory JSON or XML text.
    static func findings(_ text: String, name: String = "input.json", step: RecordValidation = byHand)
        -> [ValidationFinding]
    {
        findings([(name, text)], step: step)
    }

    /// Findings for files of the package (paths relative to its root), validated together.
    static func findings(files: [String]) throws -> [ValidationFinding] {
        try streamed(files.map { SharedCorpus.packageRoot.appendingPathComponent($0).path }).findings
    }

    /// `severity rule path` for comparing findings without their wording.
    static func keys(_ findings: [ValidationFinding]) -> [String] {
        findings.map { "\($0.severity.rawValue) \($0.ruleID) \($0.fhirPath ?? "-")" }.sorted()
    }
}
