public import FHIRCore

/// How a run's messages name what a person can change: a setting of ``BatchConfiguration``, or a
/// reader limit. A library caller reads the configuration's own names (`` `bundle` ``,
/// `` `to: ndjson` ``) and the limits as the readers name them (`(limit maxDepth = 64)`); a
/// command-line tool sets the names of its options (`--bundle`, `--to ndjson`) and the advice
/// that goes with a limit (`change it with --max-depth`), so that its messages say what to type.
public struct SettingNames: Sendable {
    /// A setting a message can name.
    public enum Setting: Sendable, Hashable {
        /// ``BatchConfiguration/from``.
        case from
        /// ``BatchConfiguration/to``, with a value or without one.
        case to(String?)
        /// ``BatchConfiguration/bundle``.
        case bundle
        /// ``BatchConfiguration/split``.
        case split
        /// ``BatchConfiguration/pretty``.
        case pretty
        /// ``BatchConfiguration/groupByType``.
        case groupByType
        /// ``BatchConfiguration/output`` as a directory.
        case outputDirectory
        /// ``BatchConfiguration/failFast``.
        case failFast
    }

    /// The name of a setting in a message.
    public var name: @Sendable (Setting) -> String
    /// What a message about a reader limit adds to the limit's name and value, or nil for nothing.
    public var limitAdvice: @Sendable (FHIRReadLimits.Limit) -> String?

    /// Names settings with `name`, and advises on limits with `limitAdvice`.
    public init(
        name: @escaping @Sendable (Setting) -> String,
        limitAdvice: @escaping @Sendable (FHIRReadLimits.Limit) -> String? = { _ in nil }
    ) {
        self.name = name
        self.limitAdvice = limitAdvice
    }

    /// The names of ``BatchConfiguration``'s properties, and no advice on limits.
    public static let configuration = SettingNames { setting in
        switch setting {
        case .from: "`from`"
        case .to(nil): "`to`"
        case .to(let format?): "`to: \(format)`"
        case .bundle: "`bundle`"
        case .split: "`split`"
        case .pretty: "`pretty`"
        case .groupByType: "`groupByType`"
        case .outputDirectory: "an output directory"
        case .failFast: "`failFast`"
        }
    }

    /// The name of `setting`.
    func callAsFunction(_ setting: Setting) -> String { name(setting) }

    /// `diagnostic` with the advice on each limit its message names.
    func advised(_ diagnostic: FHIRDiagnostic) -> FHIRDiagnostic {
        var advised = diagnostic
        advised.message = FHIRReadLimits.advising(diagnostic.message, with: limitAdvice)
        return advised
    }
}
