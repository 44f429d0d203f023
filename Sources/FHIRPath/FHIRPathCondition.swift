import FHIRElementModel

/// Conditions of the simplest shape, compiled to Swift closures when parsed, so that the
/// invariants evaluated on nearly every element (ele-1 `hasValue() or (children().count() >
/// id.count())`, ext-1 `extension.exists() != value.exists()`, `code.empty() or system.exists()`)
/// cost no evaluation set-up.
///
/// The shape: element paths from the context (`a.b.c`, the first name lowercase, so never a
/// type) with `exists()`, `empty()`, `count()` or `hasValue()`; `hasValue()`, `htmlChecks()` and
/// `children().count()` on the context; integer and boolean literals; `not()`; `and`, `or`,
/// `xor`, `implies`, `=`, `!=`, `<`, `>`, `<=`, `>=`. Every part of such an expression gives
/// exactly one Boolean or Integer on any element, so FHIRPath's empty-propagating logic never
/// comes into play and the answer is the evaluator's. Any other expression is not compiled and
/// goes through ``FHIRPathEvaluator``.
enum FHIRPathCondition {
    typealias Test = @Sendable (FHIRElement) -> Bool
    typealias Count = @Sendable (FHIRElement) -> Int

    /// A compiled part: a Boolean or an Integer, never empty, never several.
    enum Part {
        case boolean(Test)
        case integer(Count)
    }

    /// The compiled condition, or nil when `node` is not of the shape (or gives no Boolean).
    static func compile(_ node: FHIRPathNode) -> Test? {
        guard case .boolean(let test)? = compilePart(node) else { return nil }
        return test
    }

    // MARK: Shortcuts

    /// A test that is true only where the evaluator is sure to give `true` for `node`, for a
    /// condition that does not compile whole: its false means "ask the evaluator".
    ///
    /// Most invariants decide on their first, cheap part for most elements: ref-1
    /// `reference.startsWith('#').not() or (…)` on a reference that is not local, `period.exists()
    /// implies period >= 0` without a period, dom-3 `contained.where(…)….empty()` without contained
    /// resources. The evaluator short-circuits `and`, `or` and `implies` on the left side, and a
    /// function such as `where` has nothing to evaluate on no items, so where the shortcut answers
    /// true, the evaluator would have evaluated nothing more, thrown nothing, and answered true.
    static func shortcut(_ node: FHIRPathNode) -> Test? {
        certainlyTrue(node)
    }

    private static func certainlyTrue(_ node: FHIRPathNode) -> Test? {
        if case .boolean(let test)? = compilePart(node) { return test }
        switch node.kind {
        case .binary(.or, let left, _):
            return certainlyTrue(left)
        case .binary(.and, let left, let right):
            guard let left = certainlyTrue(left), let right = certainlyTrue(right) else { return nil }
            return { element in left(element) && right(element) }
        case .binary(.implies, let left, _):
            return certainlyFalse(left)
        case .invoke(let target, let invocation):
            guard case .function(let function, let arguments) = invocation.kind, arguments.isEmpty else { return nil }
            if function == .not { return certainlyFalse(target) }
            if function == .empty { return certainlyEmpty(target) }
            return nil
        default:
            return nil
        }
    }

    private static func certainlyFalse(_ node: FHIRPathNode) -> Test? {
        if case .boolean(let test)? = compilePart(node) { return { element in !test(element) } }
        switch node.kind {
        case .binary(.or, let left, let right):
            guard let left = certainlyFalse(left), let right = certainlyFalse(right) else { return nil }
            return { element in left(element) && right(element) }
        case .binary(.and, let left, _):
            return certainlyFalse(left)
        case .invoke(let target, let invocation):
            guard case .function(let function, let arguments) = invocation.kind else { return nil }
            switch function {
            case .not where arguments.isEmpty:
                return certainlyTrue(target)
            case .exists:  // with or without criteria: false on no items
                return certainlyEmpty(target)
            case .startsWith:
                // `reference.startsWith('#')` on one string element: Swift's `hasPrefix`, as the evaluator's.
                guard arguments.count == 1, case .literal(let values) = arguments[0].kind, values.count == 1,
                    case .string(let prefix) = values[0], let names = path(target)
                else { return nil }
                return { element in
                    guard let only = single(names, from: element), only.kind == .primitive,
                        stringTypes.contains(only.typeName), let text = only.value
                    else { return false }
                    return !text.hasPrefix(prefix)
                }
            default:
                return nil
            }
        default:
            return nil
        }
    }

    /// A test that is true only where `node` is sure to give no items: a path that reaches no
    /// element, followed by functions that give nothing for nothing.
    private static func certainlyEmpty(_ node: FHIRPathNode) -> Test? {
        if let names = path(node) {
            if names.count == 1 {
                let name = names[0]
                return { element in !element.children.contains { $0.name == name } }
            }
            return { element in count(names, from: element, depth: 0) == 0 }
        }
        guard case .invoke(let target, let invocation) = node.kind, case .function(let function, _) = invocation.kind,
            emptyForEmpty.contains(function)
        else { return nil }
        return certainlyEmpty(target)
    }

    /// Functions whose result on no items is no items, without evaluating their arguments.
    private static let emptyForEmpty: Set<FHIRPathFunction> = [
        .where, .select, .trace, .first, .last, .tail, .single, .distinct, .ofType, .children, .descendants,
    ]

    /// The FHIR primitive types whose value FHIRPath sees as a String.
    private static let stringTypes: Set<String> = [
        "string", "uri", "url", "canonical", "code", "id", "markdown", "oid", "uuid",
    ]

    // MARK: Compiling

    private static func compilePart(_ node: FHIRPathNode) -> Part? {
        switch node.kind {
        case .literal(let values):
            guard values.count == 1 else { return nil }
            switch values[0] {
            case .boolean(let value): return .boolean { _ in value }
            case .integer(let value): return .integer { _ in value }
            default: return nil
            }
        case .function(.hasValue, let arguments) where arguments.isEmpty:
            return .boolean { element in element.kind == .primitive && element.value != nil }
        case .function(.htmlChecks, let arguments) where arguments.isEmpty:
            // txt-1 and txt-2 on every narrative.
            return .boolean { element in FHIRPathNarrative.isAcceptable(.element(element)) }
        case .invoke(let target, let invocation):
            return compileInvocation(target, invocation)
        case .binary(let op, let left, let right):
            // `children().count() > id.count()` (ele-1): some child has another name.
            if op == .greaterThan, isChildrenCount(left), let name = countedName(right) {
                return .boolean { element in element.children.contains { $0.name != name } }
            }
            guard let left = compilePart(left), let right = compilePart(right) else { return nil }
            return compileBinary(op, left, right)
        default:
            return nil
        }
    }

    private static func compileInvocation(_ target: FHIRPathNode, _ invocation: FHIRPathNode) -> Part? {
        guard case .function(let function, let arguments) = invocation.kind, arguments.isEmpty else { return nil }
        if function == .count, isChildren(target) { return .integer { element in element.children.count } }
        if function == .not {
            guard case .boolean(let operand)? = compilePart(target) else { return nil }
            return .boolean { element in !operand(element) }
        }
        guard let names = path(target) else { return nil }
        if names.count == 1 {
            // One step, the common case: no recursion, and `exists()` stops at the first match.
            let name = names[0]
            switch function {
            case .exists: return .boolean { element in element.children.contains { $0.name == name } }
            case .empty: return .boolean { element in !element.children.contains { $0.name == name } }
            case .count:
                return .integer { element in
                    var count = 0
                    for child in element.children where child.name == name { count += 1 }
                    return count
                }
            default: break
            }
        }
        switch function {
        case .exists: return .boolean { element in count(names, from: element, depth: 0) > 0 }
        case .empty: return .boolean { element in count(names, from: element, depth: 0) == 0 }
        case .count: return .integer { element in count(names, from: element, depth: 0) }
        case .hasValue:
            return .boolean { element in
                guard let only = single(names, from: element) else { return false }
                return only.kind == .primitive && only.value != nil
            }
        default: return nil
        }
    }

    /// A binary operator over two parts of the same kind: logic over Booleans, `=`/`!=` over
    /// either, order over Integers (the evaluator refuses to order Booleans, so that is not
    /// compiled).
    private static func compileBinary(_ op: FHIRPathOperator, _ left: Part, _ right: Part) -> Part? {
        switch (left, right) {
        case (.boolean(let a), .boolean(let b)):
            // Short-circuits as the evaluator does; the right side has no effects to skip.
            switch op {
            case .and: return .boolean { element in a(element) && b(element) }
            case .or: return .boolean { element in a(element) || b(element) }
            case .xor, .notEqual: return .boolean { element in a(element) != b(element) }
            case .implies: return .boolean { element in !a(element) || b(element) }
            case .equal: return .boolean { element in a(element) == b(element) }
            default: return nil
            }
        case (.integer(let a), .integer(let b)):
            switch op {
            case .equal: return .boolean { element in a(element) == b(element) }
            case .notEqual: return .boolean { element in a(element) != b(element) }
            case .lessThan: return .boolean { element in a(element) < b(element) }
            case .greaterThan: return .boolean { element in a(element) > b(element) }
            case .lessOrEqual: return .boolean { element in a(element) <= b(element) }
            case .greaterOrEqual: return .boolean { element in a(element) >= b(element) }
            default: return nil
            }
        default:
            return nil
        }
    }

    /// Whether `node` is `children()` on the context.
    private static func isChildren(_ node: FHIRPathNode) -> Bool {
        guard case .function(.children, let arguments) = node.kind else { return false }
        return arguments.isEmpty
    }

    /// Whether `node` is `children().count()` on the context.
    private static func isChildrenCount(_ node: FHIRPathNode) -> Bool {
        guard case .invoke(let target, let invocation) = node.kind,
            case .function(.count, let arguments) = invocation.kind, arguments.isEmpty
        else { return false }
        return isChildren(target)
    }

    /// The name `n` when `node` is `n.count()` for a one-step path.
    private static func countedName(_ node: FHIRPathNode) -> String? {
        guard case .invoke(let target, let invocation) = node.kind,
            case .function(.count, let arguments) = invocation.kind, arguments.isEmpty,
            let names = path(target), names.count == 1
        else { return nil }
        return names[0]
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
