import FHIRCore
public import FHIRElementModel

/// A parsed FHIRPath expression, ready to evaluate any number of times from any thread.
///
/// ```swift
/// let expression = try FHIRPathExpression.parse("name.where(use = 'official').given.first()")
/// let given = try expression.evaluate(on: patient)
/// ```
///
/// ``parse(_:)`` keeps every expression it parsed, keyed by its text, for the life of the
/// process: invariants are evaluated millions of times in a batch and parsed once.
public final class FHIRPathExpression: Sendable {
    /// The text parsed.
    public let text: String
    let root: FHIRPathNode
    /// How many of the tree's constant nodes an evaluation remembers the value of
    /// (``FHIRPathNode/assignResultSlots(_:)``).
    let resultSlotCount: Int
    /// The expression compiled to a closure, when it is a condition of the simplest shape
    /// (`FHIRPathCondition`): ``isSatisfied(by:environment:)`` then needs no evaluator.
    private let condition: (@Sendable (FHIRElement) -> Bool)?
    /// For a condition that does not compile whole, a test of its cheap part that, when true,
    /// answers for the evaluator (`FHIRPathCondition.shortcut(_:)`).
    private let shortcut: (@Sendable (FHIRElement) -> Bool)?

    init(text: String, root: FHIRPathNode) {
        self.text = text
        self.root = root
        resultSlotCount = FHIRPathNode.assignResultSlots(root)
        condition = FHIRPathCondition.compile(root)
        shortcut = condition == nil ? FHIRPathCondition.shortcut(root) : nil
    }

    /// Parses `text`, or returns the expression already parsed from the same text.
    ///
    /// - Throws: ``FHIRPathError`` (stage `syntax` or `semantic`) with the column and a caret.
    public static func parse(_ text: String) throws(FHIRPathError) -> FHIRPathExpression {
        if let cached = cache.lookup(text) { return cached }
        var parser = FHIRPathParser(text)
        let expression = FHIRPathExpression(text: text, root: try parser.parse())
        cache.store(expression)
        return expression
    }

    /// Parses `text` without consulting or filling the cache (for one-off expressions).
    public static func parseUncached(_ text: String) throws(FHIRPathError) -> FHIRPathExpression {
        var parser = FHIRPathParser(text)
        return FHIRPathExpression(text: text, root: try parser.parse())
    }

    /// Evaluates the expression with `input` as its context (`%context`, `$this` at the start).
    ///
    /// - Parameters:
    ///   - input: The element the expression starts from, usually a resource; nil for none.
    ///   - environment: Definitions, terminology, variables, limits.
    /// - Returns: The result collection, in order.
    /// - Throws: ``FHIRPathError`` when evaluation fails or cannot be answered offline.
    public func evaluate(
        on input: FHIRElement?, environment: FHIRPathEnvironment = FHIRPathEnvironment()
    ) throws(FHIRPathError) -> [FHIRPathValue] {
        try evaluate(on: input.map { [FHIRPathValue.element($0)] } ?? [], environment: environment)
    }

    /// Evaluates the expression with a collection as its context.
    public func evaluate(
        on input: [FHIRPathValue], environment: FHIRPathEnvironment = FHIRPathEnvironment()
    ) throws(FHIRPathError) -> [FHIRPathValue] {
        let evaluator = FHIRPathEvaluator(
            expression: text, environment: environment, context: input, resultSlotCount: resultSlotCount)
        return try evaluator.run(root)
    }

    /// Evaluates the expression as a condition (an invariant): true, false, or nil when the
    /// result is empty. A non-boolean single result counts as true, as FHIRPath's singleton
    /// evaluation of collections says.
    public func isSatisfied(
        by input: FHIRElement?, environment: FHIRPathEnvironment = FHIRPathEnvironment()
    ) throws(FHIRPathError) -> Bool? {
        if let input, !environment.strict {
            if let condition { return condition(input) }
            // Not when `trace` is listened to: the evaluator reports a trace of no items too.
            if let shortcut, environment.trace == nil, shortcut(input) { return true }
        }
        let result = try evaluate(on: input, environment: environment)
        guard let first = result.first else { return nil }
        guard result.count == 1 else {
            throw FHIRPathError(
                stage: .execution, message: "a condition gave \(result.count) items, not one boolean",
                expression: text, offset: nil)
        }
        if case .boolean(let value) = first.systemValue ?? first { return value }
        return true
    }

    private static let cache = ExpressionCache()
}

/// The process-wide cache of parsed expressions.
private final class ExpressionCache: Sendable {
    /// Beyond this many distinct expressions the cache stops growing (a process fed generated
    /// expressions must not grow without bound); further ones are parsed each time.
    static let capacity = 100_000
    private let lock = Lock()
    nonisolated(unsafe) private var entries: [String: FHIRPathExpression] = [:]

    func lookup(_ text: String) -> FHIRPathExpression? {
        lock.withLock { entries[text] }
    }

    func store(_ expression: FHIRPathExpression) {
        lock.withLock {
            if entries.count < Self.capacity { entries[expression.text] = expression }
        }
    }
}
