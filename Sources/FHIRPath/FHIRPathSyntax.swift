/// A parsed FHIRPath expression: the typed syntax tree the evaluator walks.
///
/// Nodes are classes so a tree parsed once (see ``FHIRPathExpression/parse(_:)``) is shared by
/// every evaluation without copying; they are immutable after parsing.
final class FHIRPathNode: @unchecked Sendable {
    enum Kind {
        /// A literal: `{}` (no values), a boolean, number, string, date/time or quantity.
        case literal([FHIRPathValue])
        /// A name at the start of a path or after `.`: an element, or a type name at the root.
        case member(String)
        /// A function call, with its arguments unevaluated (`where(…)` evaluates them per item).
        case function(FHIRPathFunction, [FHIRPathNode])
        /// `$this`, `$index`, `$total`.
        case this, index, total
        /// `%name`.
        case constant(String)
        /// `target.member` or `target.function(…)`: the right side is evaluated on each item
        /// of the target.
        case invoke(FHIRPathNode, FHIRPathNode)
        /// `target[index]`.
        case indexer(FHIRPathNode, FHIRPathNode)
        /// `-x`, `+x`.
        case negate(FHIRPathNode)
        /// A binary operator.
        case binary(FHIRPathOperator, FHIRPathNode, FHIRPathNode)
        /// `x is T`, `x as T`.
        case typeTest(isAs: Bool, FHIRPathNode, FHIRPathTypeSpecifier)
    }

    let kind: Kind
    /// 0-based offset in Unicode scalars where the node starts, for error messages.
    let offset: Int

    init(_ kind: Kind, offset: Int) {
        self.kind = kind
        self.offset = offset
    }
}

/// A type name as written in `is`, `as` and `ofType`: `Quantity`, `FHIR.string`, `System.Integer`.
struct FHIRPathTypeSpecifier: Sendable, Hashable, CustomStringConvertible {
    /// `FHIR`, `System`, or nil when unqualified.
    var namespace: String?
    var name: String

    var description: String { namespace.map { "\($0).\(name)" } ?? name }
}

/// FHIRPath's binary operators.
enum FHIRPathOperator: String, Sendable {
    case multiply = "*", divide = "/", div, mod
    case add = "+", subtract = "-", concatenate = "&"
    case union = "|"
    case lessThan = "<", greaterThan = ">", lessOrEqual = "<=", greaterOrEqual = ">="
    case equal = "=", notEqual = "!=", equivalent = "~", notEquivalent = "!~"
    case `in`, contains
    case and, or, xor, implies
}
