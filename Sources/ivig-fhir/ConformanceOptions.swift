import ArgumentParser
import FHIRConformance
import FHIRPackages
import FHIRValidation

/// `validate`'s and `serve`'s options for validation from the definitions: profiles and how
/// unknown extensions are reported (the packages come from ``PackageOptions``).
struct ConformanceOptions: ParsableArguments {
    enum ExtensionSeverity: String, ExpressibleByArgument, CaseIterable {
        case warning, error
    }

    @Option(
        name: .customLong("profile"),
        help: ArgumentHelp(
            "Validate each resource also against this profile (canonical URL; repeatable), from the "
                + "loaded packages. Profiles in meta.profile always apply.",
            valueName: "URL"))
    var profiles: [String] = []

    @Option(help: "How an extension that no loaded package defines is reported.")
    var unknownExtensions: ExtensionSeverity = .warning

    enum BestPracticeLevel: String, ExpressibleByArgument, CaseIterable {
        case ignore, information, warning, error

        var severity: ValidationFinding.Severity? {
            switch self {
            case .ignore: nil
            case .information: .information
            case .warning: .warning
            case .error: .error
            }
        }
    }

    @Option(
        help: "How a broken best-practice invariant (dom-6: a resource should have narrative; con-3) is reported.")
    var bestPractice: BestPracticeLevel = .warning

    /// The validator over `definitions`.
    /// - Throws: `ValidationError` (bad usage) for a profile no loaded package defines.
    func validator(definitions: FHIRDefinitions) throws -> ConformanceValidator {
        let validator = ConformanceValidator(
            definitions: definitions,
            options: .init(
                profiles: profiles, unknownExtensionSeverity: unknownExtensions == .error ? .error : .warning,
                bestPracticeSeverity: bestPractice.severity))
        if let unknown = validator.unknownProfiles.first {
            throw ValidationError(
                "--profile \(unknown): no loaded package defines this profile (give its package with --package)")
        }
        return validator
    }
}
