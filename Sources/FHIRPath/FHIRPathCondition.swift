import FHIRElementModel

/// Conditions of the simplest shape, compiled to Swift closures when parsed, so that the
/// invariants evaluated on nearly every element (ele-1 `hasValue() or (children().count() >
/// id.count())`, ext-1 `extension.exists() != value.exists()`, `code.empty() or system.exists()`)
/// cost no evaluation set-up.
///
/// The shape: element paths from the context (`a.b.c`, the first name lowercase, so never a
/// type) with `exists()`, `empty()`, `count()` or `hasValue()`; `hasValue()` and
/// `children().count()` on the context; integer and boolean literals; `not()`; `and`, `or`,
/// `xor`, `implies`, `=`, `!=`, `<`, `>`, `<=`, `>=`. Every part of such an expression gives
/// exactly one Boolean or Integer on any element, so FHIRPath's empty-propagating logic never
/// comes into play and the answer is the evaluator's. Any other expression is not compiled and
/// goes through ``FHIRPathEvaluator``.
enum FHIRPathCondition {
    /// One value of a compiled part: never empty, never several.
    enum Value {
        case boolean(Bool)
        case integer(Int)
    }

    typealias Part = @Sendable (FHIRElement) -> Value

    /// What a compiled part gives.
    enum Kind {
        case boolean
        case integer
    }

    /// The compiled condition, or nil when `node` is not of the shape (or gives no Boolean).
    static func compile(_ node: FHIRPathNode) -> (@Sendable (FHIRElement) -> Bool)? {
        guard let (part, kind) = compilePart(node), kind == .boolean else { return nil }
        return { element in
            if case .boolean(let value) = part(element) { return value }
            return true  // not reached: the part gives a Boolean
        }
    }

    private static func compilePart(_ node: FHIRPathNode) -> (Part, Kind)? {
        switch node.kind {
        case .literal(let values):
            guard values.count == 1 else { return nil }
            switch values[0] {
            case .boolean(let value): return ({ _ in .boolean(value) }, .boolean)
            case .integer(let value): return ({ _ in .integer(value) }, .integer)
            default: return nil
            }
        case .function(.hasValue, let arguments) where arguments.isEmpty:
            return ({ element in .boolean(element.kind == .primitive && element.value != nil) }, .boolean)
        case .invoke(let target, let invocation):
            return compileInvocation(target, invocation)
        case .binary(let op, let left, let right):
            guard let (left, leftKind) = compilePart(left), let (right, rightKind) = compilePart(right),
                leftKind == rightKind
            else { return nil }
            return compileBinary(op, left, right, operands: leftKind).map { ($0, .boolean) }
        default:
            return nil
        }
    }

    private static func compileInvocation(_ target: FHIRPathNode, _ invocation: FHIRPathNode) -> (Part, Kind)? {
        guard case .function(let function, let arguments) = invocation.kind, arguments.isEmpty else { return nil }
        if case .function(.children, let childArguments) = target.kind, childArguments.isEmpty, function == .count {
            return ({ element in .integer(element.children.count) }, .integer)
        }
        if function == .not {
            guard let (operand, kind) = compilePart(target), kind == .boolean else { return nil }
            return (
                { element in
                    guard case .boolean(let value) = operand(element) else { return .boolean(true) }
                    return .boolean(!value)
                }, .boolean
            )
        }
        guard let names = path(target) else { return nil }
        switch function {
        case .exists: return ({ element in .boolean(count(names, from: element, depth: 0) > 0) }, .boolean)
        case .empty: return ({ element in .boolean(count(names, from: element, depth: 0) == 0) }, .boolean)
        case .count: return ({ element in .integer(count(names, from: element, depth: 0)) }, .integer)
        case .hasValue:
            return (
                { element in
                    guard let only = single(names, from: element) else { return .boolean(false) }
                    return .boolean(only.kind == .primitive && only.value != nil)
                }, .boolean
            )
        default: return nil
        }
    }

    /// A binary operator over two parts of the same kind: logic over Booleans, `=`/`!=` over
    /// either, order over Integers (the evaluator refuses to order Booleans, so that is not
    /// compiled).
    private static func compileBinary(
        _ op: FHIRPathOperator, _ left: @escaping Part, _ right: @escaping Part, operands: Kind
    ) -> Part? {
        switch op {
        case .and, .or, .xor, .implies:
            guard operands == .boolean else { return nil }
            return { element in
                guard case .boolean(let a) = left(element) else { return .boolean(false) }
                // Short-circuits as the evaluator does; the right side has no effects to skip.
                switch op {
                case .and where !a: return .boolean(false)
                case .or where a: return .boolean(true)
                case .implies where !a: return .boolean(true)
                default: break
                }
                guard case .boolean(let b) = right(element) else { return .boolean(false) }
                switch op {
                case .and: return .boolean(a && b)
                case .or: return .boolean(a || b)
                case .xor: return .boolean(a != b)
                default: return .boolean(!a || b)
                }
            }
        case .equal, .notEqual:
            return { element in
                let equal: Bool
                switch (left(element), right(element)) {
                case (.boolean(let a), .boolean(let b)): equal = a == b
                case (.integer(let a), .integer(let b)): equal = a == b
                default: equal = false
                }
                return .boolean(op == .equal ? equal : !equal)
            }
        case .lessThan, .greaterThan, .lessOrEqual, .greaterOrEqual:
            guard operands == .integer else { return nil }
            return { element in
                guard case .integer(let a) = left(element), case .integer(let b) = right(element) else {
                    return .boolean(false)
                }
                switch op {
                case .lessThan: return .boolean(a < b)
                case .greaterThan: return .boolean(a > b)
                case .lessOrEqual: return .boolean(a <= b)
                default: return .boolean(a >= b)
                }
            }
        default:
            return nil
        }
    }

    /// The names of an element path from the context (`a`, `a.b.c`); nil for anything else. The
    /// first name must start in lower case: an upper-case one may be a type (`Patient.name`).
    private static func path(_ node: FHIRPathNode) -> [String]? {
        switch node.kind {
        case .member(let name):
            guard let first = name.utf8.first, first >= UInt8(ascii: "a"), first <= UInt8(ascii: "z") else {
                return nil
            }
            return [name]
        case .invoke(let target, let invocation):
            guard case .member(let name) = invocation.kind, let head = path(target) else { return nil }
            return head + [name]
        default:
            return nil
        }
    }

    /// How many elements the path reaches from `element`.
    private static func count(_ names: [String], from element: FHIRElement, depth: Int) -> Int {
        if depth == names.count { return 1 }
        var total = 0
        for child in element.children where child.name == names[depth] {
            total += count(names, from: child, depth: depth + 1)
        }
        return total
    }

    /// The one element the path reaches, or nil when it reaches none or several.
    private static func single(_ names: [String], from element: FHIRElement) -> FHIRElement? {
        var current = [element]
        for name in names {
            current = current.flatMap { $0.children.filter { $0.name == name } }
        }
        return current.count == 1 ? current[0] : nil
    }
}
