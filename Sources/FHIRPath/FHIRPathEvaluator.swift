import ExactArithmetic
import FHIRElementModel

/// Walks a parsed expression over a collection. One evaluator serves one evaluation; it counts
/// steps and collection sizes against the environment's limits.
final class FHIRPathEvaluator {
    /// What `$this`, `$index` and `$total` mean where a node is evaluated. (Variables that
    /// `defineVariable` adds are the evaluator's, ``definedVariables``.)
    struct Frame {
        var this: [FHIRPathValue]
        var index: Int?
        var total: [FHIRPathValue]?
    }

    let expression: String
    let environment: FHIRPathEnvironment
    let context: [FHIRPathValue]
    private var steps = 0
    /// Variables `defineVariable` introduced during this evaluation.
    var definedVariables: [String: [FHIRPathValue]] = [:]
    /// The last element whose `descendants()` were collected, and those descendants: the tree
    /// does not change during an evaluation, so asking again costs nothing.
    var lastDescendants: (of: FHIRElement, items: [FHIRPathValue])?
    /// The values of the constant nodes with a result slot (``FHIRPathNode/resultSlot``) computed
    /// so far, by slot; empty until the first is computed.
    private var results: [[FHIRPathValue]?] = []
    private let resultSlotCount: Int

    init(expression: String, environment: FHIRPathEnvironment, context: [FHIRPathValue], resultSlotCount: Int = 0) {
        self.expression = expression
        self.environment = environment
        self.context = context
        self.resultSlotCount = resultSlotCount
    }

    func run(_ root: FHIRPathNode) throws(FHIRPathError) -> [FHIRPathValue] {
        try evaluate(root, input: context, frame: Frame(this: context, index: nil, total: nil))
    }

    // MARK: Errors and limits

    func failure(_ message: String, at node: FHIRPathNode?, stage: FHIRPathError.Stage = .execution) -> FHIRPathError {
        FHIRPathError(stage: stage, message: message, expression: expression, offset: node?.offset)
    }

    func step(_ node: FHIRPathNode, count: Int = 1) throws(FHIRPathError) {
        steps += count
        if steps > environment.maximumSteps {
            throw failure("evaluation took more than \(environment.maximumSteps) steps", at: node)
        }
    }

    func checkSize(_ values: [FHIRPathValue], _ node: FHIRPathNode) throws(FHIRPathError) {
        if values.count > environment.maximumCollectionSize {
            throw failure("a collection grew beyond \(environment.maximumCollectionSize) items", at: node)
        }
    }

    // MARK: Nodes

    func evaluate(_ node: FHIRPathNode, input: [FHIRPathValue], frame: Frame) throws(FHIRPathError) -> [FHIRPathValue] {
        try step(node)
        guard let slot = node.resultSlot else { return try value(of: node, input: input, frame: frame) }
        if slot < results.count, let known = results[slot] { return known }
        let computed = try value(of: node, input: input, frame: frame)
        if results.count <= slot {
            results.append(contentsOf: repeatElement(nil, count: max(resultSlotCount, slot + 1) - results.count))
        }
        results[slot] = computed
        return computed
    }

    /// The node's value, computed (``evaluate(_:input:frame:)`` counts the step and remembers
    /// the values of constant nodes).
    private func value(of node: FHIRPathNode, input: [FHIRPathValue], frame: Frame) throws(FHIRPathError)
        -> [FHIRPathValue]
    {
        switch node.kind {
        case .literal(let values):
            return values
        case .member(let name):
            return try navigate(input, name, node: node, atStart: true)
        case .function(let function, let arguments):
            let result = try call(function, arguments, input: input, frame: frame, node: node)
            try checkSize(result, node)
            return result
        case .this:
            return frame.this
        case .index:
            return frame.index.map { [FHIRPathValue].integer($0) } ?? []
        case .total:
            return frame.total ?? []
        case .constant(let name):
            return try constant(name, node: node)
        case .invoke(let target, let invocation):
            // `children().count()` (ele-1, on nearly every element) counts without building the
            // collection.
            if case .function(.count, _) = invocation.kind, case .function(.children, _) = target.kind {
                var count = 0
                for case .element(let element) in input { count += element.children.count }
                return .integer(count)
            }
            // `name.exists()`, `name.empty()`, `name.count()` (ext-1, ele-1 and most of R4's
            // invariants) count the children without collecting them.
            if case .function(let function, let arguments) = invocation.kind, arguments.isEmpty,
                function == .exists || function == .empty || function == .count,
                case .member(let name) = target.kind, let count = try childCount(input, named: name, node: target)
            {
                try step(invocation)
                switch function {
                case .exists: return .boolean(count > 0)
                case .empty: return .boolean(count == 0)
                default: return .integer(count)
                }
            }
            let items = try evaluate(target, input: input, frame: frame)
            if case .member(let name) = invocation.kind {
                try step(invocation, count: items.count)
                return try navigate(items, name, node: invocation, atStart: false)
            }
            return try evaluate(invocation, input: items, frame: frame)
        case .indexer(let target, let indexNode):
            let items = try evaluate(target, input: input, frame: frame)
            let index = try evaluate(indexNode, input: input, frame: frame)
            guard let position = try integerArgument(index, indexNode) else { return [] }
            return position >= 0 && position < items.count ? [items[position]] : []
        case .negate(let operand):
            let value = try evaluate(operand, input: input, frame: frame)
            return try negate(value, node)
        case .binary(let op, let left, let right):
            return try binary(op, left, right, input: input, frame: frame, node: node)
        case .typeTest(let isAs, let operand, let type):
            let value = try evaluate(operand, input: input, frame: frame)
            if value.isEmpty { return [] }
            guard value.count == 1 else {
                throw failure("'\(isAs ? "as" : "is")' needs one item, not \(value.count)", at: node)
            }
            let matches = FHIRPathTypes.matches(value[0], type, layouts: environment.layouts)
            if isAs { return matches ? value : [] }
            return .boolean(matches)
        }
    }

    // MARK: Navigation

    /// The children named `name` of each element; at the start of a path, also the item
    /// itself when `name` is its type (`Patient.name` on a Patient).
    func navigate(
        _ items: [FHIRPathValue], _ name: String, node: FHIRPathNode, atStart: Bool
    ) throws(FHIRPathError) -> [FHIRPathValue] {
        var result: [FHIRPathValue] = []
        for item in items {
            if case .typeInfo(let namespace, let typeName) = item {
                if name == "namespace" { result.append(.string(namespace)) }
                if name == "name" { result.append(.string(typeName)) }
                continue
            }
            guard case .element(let element) = item else { continue }
            if atStart, let first = name.utf8.first, first >= UInt8(ascii: "A"), first <= UInt8(ascii: "Z") {
                if FHIRPathTypes.matches(
                    item, FHIRPathTypeSpecifier(namespace: nil, name: name), layouts: environment.layouts)
                {
                    result.append(item)
                    continue
                }
                if element.kind == .resource, environment.strict, isResourceType(name) {
                    throw failure(
                        "the expression is about \(name), but the context is \(element.typeName)", at: node,
                        stage: .semantic)
                }
            }
            for child in element.children where child.name == name {
                result.append(.element(child))
            }
        }
        // Strict mode: a name that none of the items' types define is an error (a collection
        // from descendants() mixes types, and only some of them need to have it).
        if result.isEmpty, environment.strict, environment.layouts != nil {
            var firstProblem: FHIRPathError?
            for case .element(let element) in items {
                do {
                    try checkElementExists(element, name, node)
                    firstProblem = nil
                    break
                } catch {
                    firstProblem = firstProblem ?? error
                }
            }
            if let firstProblem { throw firstProblem }
        }
        try checkSize(result, node)
        return result
    }

    /// How many children named `name` the items have, as `navigate` at the start of a path
    /// would collect them; nil where `navigate` could give something else (an item that is no
    /// element, a name that may be a type, strict mode's check of unknown names).
    private func childCount(
        _ items: [FHIRPathValue], named name: String, node: FHIRPathNode
    ) throws(FHIRPathError) -> Int? {
        guard !environment.strict, let first = name.utf8.first, first >= UInt8(ascii: "a"), first <= UInt8(ascii: "z")
        else { return nil }
        var count = 0
        for item in items {
            guard case .element(let element) = item else { return nil }
            for child in element.children where child.name == name { count += 1 }
        }
        try step(node)
        return count
    }

    private func isResourceType(_ name: String) -> Bool {
        guard let layouts = environment.layouts else { return false }
        return layouts.layout(ofType: name)?.kind == .resource
    }

    /// In strict mode, an error for a name the element's type does not define.
    private func checkElementExists(_ element: FHIRElement, _ name: String, _ node: FHIRPathNode) throws(FHIRPathError)
    {
        guard let layouts = environment.layouts else { return }
        var names: [String]?
        if element.kind == .backbone, let path = element.definitionPath {
            names = layouts.children(ofPath: path)?.map(\.name)
        } else if let layout = layouts.layout(ofType: element.typeName) {
            names = layout.elements.map(\.name)
            // Inherited elements (`id`, `extension`, `meta`, `text`) live in the base types.
            var base = layout.baseType
            var guardCount = 0
            while let baseName = base, let baseLayout = layouts.layout(ofType: baseName), guardCount < 16 {
                names?.append(contentsOf: baseLayout.elements.map(\.name))
                base = baseLayout.baseType
                guardCount += 1
            }
        }
        guard let names, !names.isEmpty, !names.contains(name) else { return }
        throw failure("\(element.typeName) has no element '\(name)'", at: node, stage: .semantic)
    }

    // MARK: Constants

    private func constant(_ name: String, node: FHIRPathNode) throws(FHIRPathError) -> [FHIRPathValue] {
        if let value = definedVariables[name] { return value }
        if let value = environment.variables[name] { return value }
        switch name {
        case "context": return context
        case "resource":
            if let resource = environment.resource { return [.element(resource)] }
            return contextElement?.enclosingResource.map { [.element($0)] } ?? context
        case "rootResource":
            if let root = environment.rootResource { return [.element(root)] }
            return contextElement?.rootResource.map { [.element($0)] } ?? context
        case "ucum": return [.string("http://unitsofmeasure.org")]
        case "sct": return [.string("http://snomed.info/sct")]
        case "loinc": return [.string("http://loinc.org")]
        default:
            if name.hasPrefix("vs-") { return [.string("http://hl7.org/fhir/ValueSet/" + name.dropFirst(3))] }
            if name.hasPrefix("ext-") {
                return [.string("http://hl7.org/fhir/StructureDefinition/" + name.dropFirst(4))]
            }
            throw failure("unknown constant '%\(name)'", at: node, stage: .semantic)
        }
    }

    private var contextElement: FHIRElement? {
        if context.count == 1, case .element(let element) = context[0] { return element }
        return nil
    }

    // MARK: Arguments

    /// The single System value of a collection, or nil when empty; an error for several items.
    func singleton(_ values: [FHIRPathValue], _ node: FHIRPathNode?, what: String = "a single value")
        throws(FHIRPathError) -> FHIRPathValue?
    {
        guard let first = values.first else { return nil }
        guard values.count == 1 else {
            throw failure("expected \(what), found a collection of \(values.count) items", at: node)
        }
        return first.systemValue
    }

    func integerArgument(_ values: [FHIRPathValue], _ node: FHIRPathNode) throws(FHIRPathError) -> Int? {
        guard let value = try singleton(values, node) else { return nil }
        switch value {
        case .integer(let number), .long(let number): return number
        default: throw failure("expected an integer, found \(describe(value))", at: node)
        }
    }

    func stringArgument(_ values: [FHIRPathValue], _ node: FHIRPathNode) throws(FHIRPathError) -> String? {
        guard let value = try singleton(values, node) else { return nil }
        guard case .string(let text) = value else {
            throw failure("expected a string, found \(describe(value))", at: node)
        }
        return text
    }

    /// The boolean a collection stands for under FHIRPath's singleton evaluation: empty is nil,
    /// one Boolean is itself, one other item is true.
    func booleanValue(_ values: [FHIRPathValue], _ node: FHIRPathNode?) throws(FHIRPathError) -> Bool? {
        guard let first = values.first else { return nil }
        guard values.count == 1 else {
            throw failure("expected a single boolean, found a collection of \(values.count) items", at: node)
        }
        if case .boolean(let value) = first.systemValue ?? first { return value }
        return true
    }

    func describe(_ value: FHIRPathValue) -> String {
        let (namespace, name) = value.typeSpecifier
        return "\(namespace).\(name) \(value.text.prefix(40))"
    }

    // MARK: Operators

    private func negate(_ values: [FHIRPathValue], _ node: FHIRPathNode) throws(FHIRPathError) -> [FHIRPathValue] {
        guard let value = try singleton(values, node) else { return [] }
        switch value {
        case .integer(let number): return [.integer(-number)]
        case .long(let number): return [.long(-number)]
        case .decimal(let number): return [.decimal(-number)]
        case .quantity(let q): return [.quantity(FHIRPathQuantity(value: -q.value, unit: q.unit))]
        default: throw failure("cannot negate \(describe(value))", at: node)
        }
    }

    private func binary(
        _ op: FHIRPathOperator, _ leftNode: FHIRPathNode, _ rightNode: FHIRPathNode, input: [FHIRPathValue],
        frame: Frame, node: FHIRPathNode
    ) throws(FHIRPathError) -> [FHIRPathValue] {
        switch op {
        case .union:
            return try union(leftNode, rightNode, input: input, frame: frame, node: node)
        case .and, .or, .implies:
            let left = try booleanValue(evaluate(leftNode, input: input, frame: frame), leftNode)
            // Short-circuits where the left side decides, as three-valued logic allows.
            if op == .and, left == false { return .boolean(false) }
            if op == .or, left == true { return .boolean(true) }
            if op == .implies, left == false { return .boolean(true) }
            let right = try booleanValue(evaluate(rightNode, input: input, frame: frame), rightNode)
            return FHIRPathLogic.apply(op, left, right).map { [FHIRPathValue].boolean($0) } ?? []
        default:
            break
        }
        let left = try evaluate(leftNode, input: input, frame: frame)
        let right = try evaluate(rightNode, input: input, frame: frame)
        switch op {
        case .xor:
            let a = try booleanValue(left, leftNode)
            let b = try booleanValue(right, rightNode)
            return FHIRPathLogic.apply(op, a, b).map { [FHIRPathValue].boolean($0) } ?? []
        case .equal, .notEqual:
            guard let equal = FHIRPathEquality.equal(left, right) else { return [] }
            return .boolean(op == .equal ? equal : !equal)
        case .equivalent, .notEquivalent:
            let equivalent = FHIRPathEquality.equivalent(left, right)
            return .boolean(op == .equivalent ? equivalent : !equivalent)
        case .lessThan, .greaterThan, .lessOrEqual, .greaterOrEqual:
            guard let a = try singleton(left, leftNode), let b = try singleton(right, rightNode) else { return [] }
            guard let order = FHIRPathEquality.compare(a, b) else {
                throw failure("cannot compare \(describe(a)) with \(describe(b))", at: node)
            }
            guard let order else { return [] }
            switch op {
            case .lessThan: return .boolean(order < 0)
            case .greaterThan: return .boolean(order > 0)
            case .lessOrEqual: return .boolean(order <= 0)
            default: return .boolean(order >= 0)
            }
        case .in, .contains:
            let (element, collection) = op == .in ? (left, right) : (right, left)
            let elementNode = op == .in ? leftNode : rightNode
            if element.isEmpty { return [] }
            guard element.count == 1 else {
                throw failure("'\(op.rawValue)' needs one item to look for, found \(element.count)", at: elementNode)
            }
            if collection.isEmpty { return .boolean(false) }
            // `=` on two one-item collections is true exactly when the items are equal.
            let item = element[0]
            return .boolean(collection.contains { FHIRPathEquality.itemEqual(item, $0) == true })
        case .concatenate:
            let a = try stringArgument(left, leftNode) ?? ""
            let b = try stringArgument(right, rightNode) ?? ""
            return [.string(a + b)]
        default:
            guard let a = try singleton(left, leftNode), let b = try singleton(right, rightNode) else { return [] }
            do {
                return try FHIRPathArithmetic.apply(op, a, b).map { [$0] } ?? []
            } catch {
                throw failure(error.message, at: node, stage: error.stage)
            }
        }
    }

    /// `a | b | c`: the operands of a chain of unions (the parser nests them to the left),
    /// evaluated in order into one collection kept distinct as it grows, rather than the
    /// distinct items of ever longer collections. Each union is visited and its size checked as
    /// if it were evaluated on its own.
    private func union(
        _ leftNode: FHIRPathNode, _ rightNode: FHIRPathNode, input: [FHIRPathValue], frame: Frame,
        node: FHIRPathNode
    ) throws(FHIRPathError) -> [FHIRPathValue] {
        var collection = DistinctCollection()
        try appendUnion(node, leftNode, rightNode, to: &collection, input: input, frame: frame)
        return collection.items
    }

    private func appendUnion(
        _ node: FHIRPathNode, _ leftNode: FHIRPathNode, _ rightNode: FHIRPathNode,
        to collection: inout DistinctCollection, input: [FHIRPathValue], frame: Frame
    ) throws(FHIRPathError) {
        // A union on the left whose value is not remembered is taken apart in turn.
        if leftNode.resultSlot == nil, case .binary(.union, let innerLeft, let innerRight) = leftNode.kind {
            try step(leftNode)
            try appendUnion(leftNode, innerLeft, innerRight, to: &collection, input: input, frame: frame)
        } else {
            collection.append(contentsOf: try evaluate(leftNode, input: input, frame: frame))
        }
        collection.append(contentsOf: try evaluate(rightNode, input: input, frame: frame))
        try checkSize(collection.items, node)
    }
}

/// FHIRPath's three-valued logic (nil is empty).
enum FHIRPathLogic {
    static func apply(_ op: FHIRPathOperator, _ a: Bool?, _ b: Bool?) -> Bool? {
        switch op {
        case .and:
            if a == false || b == false { return false }
            if a == true, b == true { return true }
            return nil
        case .or:
            if a == true || b == true { return true }
            if a == false, b == false { return false }
            return nil
        case .xor:
            guard let a, let b else { return nil }
            return a != b
        case .implies:
            if a == false { return true }
            if a == true { return b }
            return b == true ? true : nil
        default:
            return nil
        }
    }
}
