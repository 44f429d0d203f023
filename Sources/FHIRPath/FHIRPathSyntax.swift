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
    /// True when the node gives the same collection wherever it is evaluated within one
    /// evaluation: it reads no input, `$this`, `$index` or `$total` (only literals, `%name`
    /// constants and what is navigated or computed from them), and calls nothing impure
    /// (``FHIRPathFunction/isImpure``). `%resource.descendants().reference` is constant;
    /// `id`, `$this.id` and `%resource.descendants().where(id = $this.id)`'s criteria are not.
    let isConstant: Bool
    /// True when the node or one below it calls an impure function.
    let hasImpureCall: Bool
    /// Where an evaluation keeps the node's value once computed, for a constant node that an
    /// argument evaluated once per item holds (see ``assignResultSlots(_:)``). Set while the
    /// expression is made, before the tree is shared, and never after.
    private(set) var resultSlot: Int?

    init(_ kind: Kind, offset: Int) {
        self.kind = kind
        self.offset = offset
        switch kind {
        case .literal:
            (isConstant, hasImpureCall) = (true, false)
        case .constant:
            // A `%name` that defineVariable may define changes during an evaluation; an
            // expression that calls it gets no result slots (``assignResultSlots(_:)``).
            (isConstant, hasImpureCall) = (true, false)
        case .member, .this, .index, .total:
            (isConstant, hasImpureCall) = (false, false)
        case .function(let function, let arguments):
            // At the start of a path a function reads its input; after a dot, see `.invoke`.
            isConstant = false
            hasImpureCall = function.isImpure || arguments.contains { $0.hasImpureCall }
        case .invoke(let target, let invocation):
            isConstant = target.isConstant && Self.readsOnlyItsInput(invocation)
            hasImpureCall = target.hasImpureCall || invocation.hasImpureCall
        case .indexer(let target, let index):
            isConstant = target.isConstant && index.isConstant
            hasImpureCall = target.hasImpureCall || index.hasImpureCall
        case .negate(let operand), .typeTest(_, let operand, _):
            (isConstant, hasImpureCall) = (operand.isConstant, operand.hasImpureCall)
        case .binary(_, let left, let right):
            isConstant = left.isConstant && right.isConstant
            hasImpureCall = left.hasImpureCall || right.hasImpureCall
        }
    }

    /// Whether the right side of `target.invocation` depends on nothing but the target's items:
    /// a member; or a pure function whose arguments are type names, or are evaluated per item
    /// with that item as `$this` (`where`, `select`), or are constant. (Arguments evaluated once
    /// see the `$this` outside the path, as do `aggregate`'s initial value and `iif`'s branches
    /// on no items, so those must be constant.)
    private static func readsOnlyItsInput(_ invocation: FHIRPathNode) -> Bool {
        switch invocation.kind {
        case .member:
            return true
        case .function(let function, let arguments):
            if function.isImpure { return false }
            if function.takesTypeArgument { return true }
            for (index, argument) in arguments.enumerated() {
                let perItem = function.evaluatesPerItem(argument: index)
                if perItem ? argument.hasImpureCall : !argument.isConstant { return false }
            }
            return true
        default:
            return false
        }
    }

    /// Gives a result slot to each largest constant node, other than a literal or a `%name`
    /// (already cheap), inside an argument that a function evaluates once per item; returns how
    /// many slots were given. Such a node would otherwise be computed again for every item
    /// (`'#' + id in %resource.descendants().reference` inside `contained.where(…)`), and its
    /// value cannot differ between items. An expression that calls `defineVariable` gets none,
    /// since a `%name` it defines reads differently before and after.
    static func assignResultSlots(_ root: FHIRPathNode) -> Int {
        if root.callsAnywhere(.defineVariable) { return 0 }
        var count = 0
        func visit(_ node: FHIRPathNode, perItem: Bool) {
            if perItem, node.isConstant {
                switch node.kind {
                case .literal, .constant:
                    break
                default:
                    node.resultSlot = count
                    count += 1
                }
                return
            }
            switch node.kind {
            case .literal, .member, .this, .index, .total, .constant:
                break
            case .function(let function, let arguments):
                for (index, argument) in arguments.enumerated() {
                    visit(argument, perItem: perItem || function.evaluatesPerItem(argument: index))
                }
            case .invoke(let first, let second), .indexer(let first, let second), .binary(_, let first, let second):
                visit(first, perItem: perItem)
                visit(second, perItem: perItem)
            case .negate(let operand), .typeTest(_, let operand, _):
                visit(operand, perItem: perItem)
            }
        }
        visit(root, perItem: false)
        return count
    }

    /// Whether the node or one below it calls `function`.
    private func callsAnywhere(_ function: FHIRPathFunction) -> Bool {
        switch kind {
        case .literal, .member, .this, .index, .total, .constant:
            return false
        case .function(let called, let arguments):
            return called == function || arguments.contains { $0.callsAnywhere(function) }
        case .invoke(let first, let second), .indexer(let first, let second), .binary(_, let first, let second):
            return first.callsAnywhere(function) || second.callsAnywhere(function)
        case .negate(let operand), .typeTest(_, let operand, _):
            return operand.callsAnywhere(function)
        }
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
