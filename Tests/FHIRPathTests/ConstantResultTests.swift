import FHIRElementModel
import FHIRPackages
import FHIRTestSupport
import Foundation
import Testing

@testable import FHIRPath

/// Constant nodes inside arguments evaluated per item are computed once per evaluation
/// (`FHIRPathNode.assignResultSlots(_:)`); unions append operand by operand. Each is held to
/// the plain evaluation of the same tree with no result slots: the same items, the same errors,
/// the same trace output.
@Suite struct ConstantResultTests {
    /// Expressions mixing `$this`, `$index` and members with `%resource`, inside nested
    /// where/select/repeat/all/exists/aggregate/sort/iif, with and around `trace`.
    static let expressions = [
        "contained.where((('#'+id in (%resource.descendants().reference | %resource.descendants().as(canonical)"
            + " | %resource.descendants().as(uri) | %resource.descendants().as(url))) or descendants().where("
            + "reference = '#').exists() or descendants().where(as(canonical) = '#').exists()).not())"
            + ".trace('unmatched', id).empty()",
        "name.where(given = %resource.name.given.first())",
        "name.select(%resource.name.where(use = $this.use).given)",
        "name.select($this.use | %resource.name.use | %resource.birthDate)",
        "name.select(given.where($this = %resource.name.given[$index]))",
        "name.select(%resource.name.skip($index).given.first())",
        "name.select(%resource.id.trace('id'))",
        "name.select(%resource.name.trace('names').count())",
        "name.given.trace('given', $this & %resource.id).select(%resource.name.count() + $index)",
        "name.select(given.select(%resource.name.given.count() - $index)).trace('counts')",
        "name.repeat(%resource.name.first()).given",
        "name.all(%resource.name.given.count() > $index)",
        "name.exists(given.count() = %resource.name.given.count())",
        "name.aggregate($total + %resource.name.given.count(), 0)",
        "name.given.aggregate($total & $this, %resource.id)",
        "name.sort(-%resource.name.given.count(), given.first()).given",
        "name.select(iif(use = 'usual', %resource.id, %resource.name.given.count()))",
        "name.select(%resource.name.first().iif(true, $this.use, 'x'))",
        "name.select(%resource.name.where($this.use = %resource.name.last().use).given)",
        "name.select(%resource.descendants().where(reference = '#org1').exists())",
        "name.where(('#' + %resource.contained.id) in %resource.descendants().reference)",
        "name.select(%context.name.given.first())",
        "name.select((%resource.name | name).given.count())",
        "name.select(%resource.name.given.select($this + '!').first())",
        "name.select(%resource.name.given[$index])",
        "name.select(%resource.name.given.subsetOf(%resource.name.given))",
    ]

    /// The slots the largest constant parts of these get, outermost first.
    @Test(arguments: [
        ("contained.where('#' + id in %resource.descendants().reference)", ["%resource.descendants().reference"]),
        ("name.where(given = %resource.name.given.first())", ["%resource.name.given.first()"]),
        ("name.where($this.given = 'x')", []),
        ("name.select(%resource.name.where(use = $this.use))", ["%resource.name.where(use = $this.use)"]),
        ("name.select(%resource.name.skip($index))", ["%resource.name"]),
        ("name.select(%resource.id.trace('x'))", ["%resource.id"]),
        ("name.select(%resource.name.first().iif(true, $this.use, 'x'))", ["%resource.name.first()"]),
        ("name.aggregate($total + %resource.id.count(), %resource.id)", ["%resource.id.count()"]),
        ("name.select(%resource.name.aggregate($total + 1, $this.use.count()))", ["%resource.name"]),
        ("%resource.name.given.first()", []),
        ("name.select(%resource.id | 'x')", ["%resource.id | 'x'"]),
        ("name.select(%resource.id)", ["%resource.id"]),
        ("defineVariable('v', 1).name.select(%resource.name.count())", []),
    ])
    func largestConstantPartsGetSlots(_ text: String, _ slotted: [String]) throws {
        let expression = try FHIRPathExpression.parseUncached(text)
        #expect(expression.resultSlotCount == slotted.count)
        var found: [String] = []
        func visit(_ node: FHIRPathNode) {
            if node.resultSlot != nil { found.append(Self.render(node)) }
            switch node.kind {
            case .literal, .member, .this, .index, .total, .constant: break
            case .function(_, let arguments): arguments.forEach(visit)
            case .invoke(let first, let second), .indexer(let first, let second), .binary(_, let first, let second):
                visit(first)
                visit(second)
            case .negate(let operand), .typeTest(_, let operand, _): visit(operand)
            }
        }
        visit(expression.root)
        #expect(found == slotted, "\(text)")
    }

    @Test func theSameOnAPatient() throws {
        let patient = EngineTests.patient()
        for text in Self.expressions {
            var environment = FHIRPathEnvironment(layouts: FHIRDefinitions.baseR4)
            environment.resource = patient
            let (plain, remembered) = try Self.bothWays(text, on: patient, environment)
            #expect(plain == remembered, "\(text)")
        }
    }

    /// Every base R4 invariant that gets a slot, and the expressions above, on every element of
    /// the first official examples.
    @Test func theSameOnTheOfficialExamples() throws {
        guard let folder = SharedCorpus.url("fhir-r4/all-types/json") else {
            print(SharedCorpus.absentMessage)
            return
        }
        let invariants = try BaseInvariantTests.constraints().map(\.expression).filter {
            try FHIRPathExpression.parseUncached($0).resultSlotCount > 0
        }
        #expect(invariants.count >= 3)
        var compared = 0
        try CorpusElements.forEach(ofFirst: 40, in: folder) { file, root, element in
            let environment = CorpusElements.environment(for: element, root: root)
            let texts = element.kind == .resource ? invariants + Self.expressions : invariants
            for text in texts {
                let (plain, remembered) = try Self.bothWays(text, on: element, environment)
                #expect(plain == remembered, "\(text) at \(element.fhirPath) in \(file)")
                compared += 1
            }
        }
        #expect(compared > 1000)
    }

    /// `a | b | c` appends its operands in order and checks the size of each union's result, as
    /// evaluating the unions one by one would; strings and other items mixed stay distinct.
    @Test func unionChainsKeepTheirOrderAndLimits() throws {
        let patient = EngineTests.patient()
        func texts(_ text: String) throws -> [String] {
            try FHIRPathExpression.parse(text).evaluate(on: patient).map(\.text)
        }
        #expect(try texts("name.given | name.family | name.given | 'Jim'") == ["Peter", "James", "Jim", "Chalmers"])
        #expect(try texts("'a' | 1 | 'a' | 1.0 | birthDate | @1974-12-25") == ["a", "1", "1974-12-25"])
        #expect(try texts("(1 | 2) | (2 | 3) | 'x' | 'x'") == ["1", "2", "3", "x"])
        #expect(try texts("@2012 | @2012-01 | @2012") == ["2012", "2012-01"])
        #expect(try texts("'#org1' in (managingOrganization.reference | 'x')") == ["true"])
        #expect(try texts("@2012 in (@2012-01 | @2013)") == ["false"])
        var environment = FHIRPathEnvironment()
        environment.maximumCollectionSize = 3
        let text = "name.given | name.family | name.use"
        do {
            _ = try FHIRPathExpression.parseUncached(text).evaluate(on: patient, environment: environment)
            Issue.record("expected the size limit")
        } catch {
            // The first union (given and family: four names) is the one that grows too large.
            #expect(error.offset == 11)
        }
        let (plain, remembered) = try Self.bothWays(text, on: patient, environment)
        #expect(plain == remembered)
    }

    /// Each FHIR primitive type is read as its System type.
    @Test(arguments: [
        ("boolean", "true", "System.Boolean"), ("integer", "3", "System.Integer"),
        ("positiveInt", "3", "System.Integer"), ("unsignedInt", "0", "System.Integer"),
        ("integer64", "3", "System.Long"), ("decimal", "1.50", "System.Decimal"), ("date", "2012-01", "System.Date"),
        ("dateTime", "2012-01-01T10:00:00Z", "System.DateTime"), ("instant", "2012-01-01T10:00:00Z", "System.DateTime"),
        ("time", "10:00:00", "System.Time"), ("string", "x", "System.String"), ("id", "x", "System.String"),
        ("uri", "x", "System.String"), ("url", "x", "System.String"), ("uuid", "x", "System.String"),
        ("code", "x", "System.String"), ("canonical", "x", "System.String"), ("markdown", "x", "System.String"),
        ("base64Binary", "eA==", "System.String"), ("oid", "x", "System.String"), ("xhtml", "<div/>", "System.String"),
        ("dateX", "x", "System.String"), ("timeX", "x", "System.String"), ("instans", "x", "System.String"),
    ])
    func primitivesAreReadByTheirType(_ typeName: String, _ text: String, _ expected: String) throws {
        let element = FHIRElement(name: "value", typeName: typeName, kind: .primitive, value: text)
        let value = try #require(FHIRPathValue.systemValue(of: element))
        let (namespace, name) = value.typeSpecifier
        #expect("\(namespace).\(name)" == expected)
    }

    // MARK: Helpers

    /// The expression's result (items with their types, or the error) and its trace output,
    /// evaluated on a tree with no result slots and on one with them.
    static func bothWays(_ text: String, on element: FHIRElement, _ environment: FHIRPathEnvironment) throws -> (
        plain: String, remembered: String
    ) {
        var parser = FHIRPathParser(text)
        let plainRoot = try parser.parse()
        let expression = try FHIRPathExpression.parseUncached(text)
        func outcome(_ run: (FHIRPathEnvironment) throws(FHIRPathError) -> [FHIRPathValue]) -> String {
            let log = TraceLog()
            var environment = environment
            environment.trace = { name, values in log.add(name, values) }
            let result: String
            do {
                result = try run(environment).map { "\($0.typeSpecifier.name) \($0.text)" }.joined(separator: ", ")
            } catch {
                result = "error at \(error.offset.map(String.init) ?? "-"): \(error.message)"
            }
            return result + " | trace: " + log.lines.joined(separator: "; ")
        }
        let plain = outcome { environment throws(FHIRPathError) in
            try FHIRPathEvaluator(expression: text, environment: environment, context: [.element(element)])
                .run(plainRoot)
        }
        let remembered = outcome { environment throws(FHIRPathError) in
            try expression.evaluate(on: element, environment: environment)
        }
        return (plain, remembered)
    }

    /// The node written back as FHIRPath (binary operators without parentheses).
    static func render(_ node: FHIRPathNode) -> String {
        switch node.kind {
        case .literal(let values):
            guard let value = values.first else { return "{}" }
            if case .string(let text) = value { return "'\(text)'" }
            return value.text
        case .member(let name): return name
        case .function(let function, let arguments):
            return function.rawValue + "(" + arguments.map(render).joined(separator: ", ") + ")"
        case .this: return "$this"
        case .index: return "$index"
        case .total: return "$total"
        case .constant(let name): return "%" + name
        case .invoke(let target, let invocation): return render(target) + "." + render(invocation)
        case .indexer(let target, let index): return render(target) + "[" + render(index) + "]"
        case .negate(let operand): return "-" + render(operand)
        case .binary(let op, let left, let right): return render(left) + " \(op.rawValue) " + render(right)
        case .typeTest(let isAs, let operand, let type): return render(operand) + (isAs ? " as " : " is ") + "\(type)"
        }
    }
}

/// What `trace` reported, in order.
private final class TraceLog: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []

    func add(_ name: String, _ values: [FHIRPathValue]) {
        lock.withLock { storage.append(name + ": " + values.map(\.text).joined(separator: ",")) }
    }

    var lines: [String] { lock.withLock { storage } }
}
