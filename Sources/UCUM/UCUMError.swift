/// Why a UCUM expression is invalid or an operation on it failed: what, where and why.
///
/// ```swift
/// do { _ = try UCUM.parse("mg/12h") } catch {
///     print(error)          // invalid UCUM unit 'mg/12h' at column 4: '12h' is not a unit; …
///     print(error.snippet)  // mg/12h
///                           //    ^
/// }
/// ```
public struct UCUMError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable kind of failure. New kinds may be added.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        enum Kind: String, Sendable, Hashable {
            case syntax = "ucum-syntax"
            case unknownUnit = "ucum-unknown-unit"
            case invalidAnnotation = "ucum-invalid-annotation"
            case notCommensurable = "ucum-not-commensurable"
            case specialUnit = "ucum-special-unit"
            case outOfDomain = "ucum-out-of-domain"
            case invalidValue = "ucum-invalid-value"
        }
        let kind: Kind

        /// Bad structure: a missing term, a stray character, unbalanced parentheses.
        public static let syntax = Code(kind: .syntax)
        /// A symbol that is no UCUM unit, with or without a prefix (`molv`, `iU`, `12h`).
        public static let unknownUnit = Code(kind: .unknownUnit)
        /// An annotation (`{…}`) that is unterminated or holds a character UCUM forbids.
        public static let invalidAnnotation = Code(kind: .invalidAnnotation)
        /// The two units measure different things (mass and volume), so no conversion exists.
        public static let notCommensurable = Code(kind: .notCommensurable)
        /// A special unit (`Cel`, `[degF]`, `[pH]`) used where only a ratio unit can go:
        /// with an exponent, inside a product, or in multiplication.
        public static let specialUnit = Code(kind: .specialUnit)
        /// A value outside a special unit's function (the logarithm of zero, say).
        public static let outOfDomain = Code(kind: .outOfDomain)
        /// A value that is not decimal text, or a division by zero.
        public static let invalidValue = Code(kind: .invalidValue)

        /// The stable identifier, such as `ucum-unknown-unit`.
        public var description: String { kind.rawValue }
    }

    /// What kind of failure this is.
    public let code: Code
    /// The expression the failure is about (for a conversion, the one at fault).
    public let expression: String
    /// The 0-based byte offset in ``expression`` where the problem starts, when there is one.
    public let offset: Int?
    /// Why, in words, without the expression and position (`'12h' is not a unit; …`).
    public let reason: String

    init(_ code: Code, _ expression: String, at offset: Int? = nil, _ reason: String) {
        self.code = code
        self.expression = expression
        self.offset = offset
        self.reason = reason
    }

    /// The 1-based column of the problem (bytes, which are characters for the ASCII that UCUM
    /// allows), when there is one.
    public var column: Int? { offset.map { $0 + 1 } }

    /// A sentence for a person: `invalid UCUM unit 'm/' at column 3: expected a unit …`.
    public var description: String {
        if let column {
            return "invalid UCUM unit '\(expression)' at column \(column): \(reason)"
        }
        return reason
    }

    /// The expression with a caret under the problem, for a terminal; just the expression when
    /// there is no position.
    public var snippet: String {
        guard let offset else { return expression }
        return expression + "\n" + String(repeating: " ", count: offset) + "^"
    }
}
