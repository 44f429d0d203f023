/// Why a FHIRPath expression could not be parsed or evaluated, and where in the expression.
///
/// `description` reads like a compiler's: the message, the column, and the expression with a
/// caret under the place, so a person fixing an invariant sees at once what is wrong:
///
/// ```
/// FHIRPath syntax error at column 7: expected an expression after '+'
///   2 + 2 +
///         ^
/// ```
public struct FHIRPathError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The stage at which the expression failed.
    public enum Stage: String, Sendable, Hashable {
        /// The text is not a FHIRPath expression (an unknown token, an unclosed string).
        case syntax
        /// The expression is well formed but means nothing: an unknown function, a wrong number
        /// of arguments, an element the type does not have.
        case semantic
        /// Evaluation failed on this input: several items where one is required, a type that
        /// an operator does not take, a limit reached.
        case execution
        /// The engine cannot answer with what it holds (a ValueSet not expandable offline, an
        /// unknown profile). The caller sees this rather than a silent `false`.
        case cannotEvaluate
    }

    /// The stage at which the expression failed.
    public let stage: Stage
    /// What is wrong, in words.
    public let message: String
    /// The expression the error is about.
    public let expression: String
    /// 0-based offset in Unicode scalars of the place in ``expression`` the error points at;
    /// nil when the error concerns the whole expression.
    public let offset: Int?

    public init(stage: Stage, message: String, expression: String, offset: Int?) {
        self.stage = stage
        self.message = message
        self.expression = expression
        self.offset = offset
    }

    /// 1-based column of the place, counted in Unicode scalars.
    public var column: Int? { offset.map { $0 + 1 } }

    /// The expression's line holding the error, with a caret under the column.
    public var snippet: String {
        guard let offset else { return "  " + expression }
        let scalars = Array(expression.unicodeScalars)
        let clamped = min(max(0, offset), scalars.count)
        var lineStart = clamped
        while lineStart > 0, scalars[lineStart - 1] != "\n" { lineStart -= 1 }
        var lineEnd = clamped
        while lineEnd < scalars.count, scalars[lineEnd] != "\n" { lineEnd += 1 }
        var line = String.UnicodeScalarView()
        line.append(contentsOf: scalars[lineStart..<lineEnd])
        let caretPad = String(repeating: " ", count: clamped - lineStart)
        return "  " + String(line) + "\n  " + caretPad + "^"
    }

    public var description: String {
        let stageName: String
        switch stage {
        case .syntax: stageName = "syntax error"
        case .semantic: stageName = "error"
        case .execution: stageName = "evaluation error"
        case .cannotEvaluate: stageName = "cannot evaluate"
        }
        let place = column.map { " at column \($0)" } ?? ""
        return "FHIRPath \(stageName)\(place): \(message)\n\(snippet)"
    }
}
