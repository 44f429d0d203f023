import FHIRTestSupport
import FHIRValidation
import FHIRValidationIO
import Foundation

/// Runs validation the way the CLI does (bytes in, located findings out), for tests.
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

    /// Findings for in-memory inputs validated together.
    static func findings(_ inputs: [(name: String, text: String)]) -> [ValidationFinding] {
        let sources = inputs.map { ValidationSource(name: $0.name, bytes: Array($0.text.utf8)) }
        return ValidationRun(validator: validator).validate(sources).flatMap(\.findings)
    }

    /// Findings for one in-memory JSON or XML text.
    static func findings(_ text: String, name: String = "input.json") -> [ValidationFinding] {
        findings([(name, text)])
    }

    /// Findings for files of the package (paths relative to its root), validated together.
    static func findings(files: [String]) throws -> [ValidationFinding] {
        let paths = files.map { SharedCorpus.packageRoot.appendingPathComponent($0).path }
        return ValidationRun(validator: validator).validate(try ValidationSource.sources(for: paths)).flatMap(\.findings)
    }

    /// `severity rule path` for comparing findings without their wording.
    static func keys(_ findings: [ValidationFinding]) -> [String] {
        findings.map { "\($0.severity.rawValue) \($0.ruleID) \($0.fhirPath ?? "-")" }.sorted()
    }
}
