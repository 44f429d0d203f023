// ivig-invariants: evaluating every R4 invariant that applies to a record, against decoding it.
//
//   cd Benchmarks/Invariants && swift run -c release ivig-invariants [--records N] [--runs R]
//
// The records are `ivig-fhir sample`'s (IVIGSamples, seed 1), as FHIR JSON. Per run it times
// (1) decoding every record into the element model (FHIRElementJSONReader, base R4), and
// (2) evaluating, on the decoded trees, every constraint of the base definitions that applies
// to each element (the element's own definition and its type's root: ele-1 on every element,
// dom-* on resources, the type's and resource's rules), each through the FHIRPath cache.
// Finding which constraints apply to each element is timed apart and printed, not counted in
// (2): a validator holds them on the rules it walks with.
// It prints the median of R runs per record and the ratio invariants / decode.

import FHIRCore
import FHIRElementModel
import FHIRJSON
import FHIRPackages
import FHIRPath
import IVIGSamples

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

var recordCount = 2000
var runs = 5
var byExpression = false
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--records": recordCount = Int(arguments.next() ?? "") ?? recordCount
    case "--runs": runs = Int(arguments.next() ?? "") ?? runs
    case "--by-expression": byExpression = true
    default:
        print("unknown argument \(argument)")
        exit(64)
    }
}

let definitions = FHIRDefinitions.baseR4
let index = FHIRLayoutIndex(definitions)
var generator = IVIGSampleGenerator(seed: 1)
var records: [[UInt8]] = []
for _ in 0..<recordCount {
    guard let resource = generator.next() else { break }
    records.append(try FHIRJSONEncoder().encode(resource))
}

/// The constraint expressions for a definition path, cached.
@MainActor final class ConstraintIndex {
    var byPath: [String: [FHIRPathExpression]] = [:]
    /// What applies to an element, by its definition path and type (a validator holds these on
    /// its rules; looked up once here).
    struct Key: Hashable {
        var path: String
        var typeName: String
    }
    var byElement: [Key: [FHIRPathExpression]] = [:]

    func expressions(for element: FHIRElement) -> [FHIRPathExpression] {
        var path = element.definitionPath ?? element.typeName
        if element.parent == nil || element.kind == .resource { path = element.typeName }
        let key = Key(path: path, typeName: element.typeName)
        if let known = byElement[key] { return known }
        let found = lookup(path) + (path == element.typeName ? [] : lookup("type:" + element.typeName))
        byElement[key] = found
        return found
    }

    private func lookup(_ key: String) -> [FHIRPathExpression] {
        if let cached = byPath[key] { return cached }
        var path = key
        if key.hasPrefix("type:") { path = String(key.dropFirst(5)) }
        let typeName = String(path.prefix { $0 != "." })
        var result: [FHIRPathExpression] = []
        if let definition = definitions.structureDefinition(ofType: typeName) {
            for element in definition.elements(atPath: path) {
                for constraint in element.constraints {
                    guard let text = constraint.expression, let parsed = try? FHIRPathExpression.parse(text) else {
                        continue
                    }
                    result.append(parsed)
                }
            }
        }
        byPath[key] = result
        return result
    }
}

let constraints = ConstraintIndex()

@MainActor func decodeAll() -> [FHIRElement] {
    let reader = FHIRElementJSONReader(index: index)
    return records.map { try! reader.read($0) }
}

var evaluations = 0
var failures = 0
/// How often each expression was not satisfied (or failed), for `--explain`.
var failing: [String: Int] = [:]
/// Time spent per expression (`--by-expression`).
var spent: [String: (count: Int, nanoseconds: UInt64)] = [:]
/// Every element of the trees with the expressions that apply to it. A validator holds these on
/// the rules it walks with, so finding them is timed apart from evaluating them.
@MainActor func applicable(_ trees: [FHIRElement]) -> [(element: FHIRElement, expressions: [FHIRPathExpression])] {
    var pairs: [(element: FHIRElement, expressions: [FHIRPathExpression])] = []
    for tree in trees {
        var pending = [tree]
        while let element = pending.popLast() {
            pending.append(contentsOf: element.children)
            let expressions = constraints.expressions(for: element)
            if !expressions.isEmpty { pairs.append((element, expressions)) }
        }
    }
    return pairs
}

@MainActor func evaluateAll(_ pairs: [(element: FHIRElement, expressions: [FHIRPathExpression])]) {
    spent = [:]
    evaluations = 0
    failures = 0
    failing = [:]
    for (element, expressions) in pairs {
        for expression in expressions {
            evaluations += 1
            let start = byExpression ? DispatchTimeLike.now() : 0
            defer {
                if byExpression {
                    let old = spent[expression.text] ?? (0, 0)
                    spent[expression.text] = (old.count + 1, old.nanoseconds + DispatchTimeLike.now() - start)
                }
            }
            do {
                if try expression.isSatisfied(by: element) == false {
                    failures += 1
                    failing[expression.text + " @ " + element.fhirPath.prefix { $0 != "[" }, default: 0] += 1
                }
            } catch {
                failures += 1
                failing["\(error)", default: 0] += 1
            }
        }
    }
}

/// A monotonic clock in nanoseconds.
enum DispatchTimeLike {
    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}

func seconds(_ duration: Swift.Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

let clock = ContinuousClock()
var decodeTimes: [Double] = []
var invariantTimes: [Double] = []
var lookupTimes: [Double] = []
var trees: [FHIRElement] = []
evaluateAll(applicable(decodeAll()))  // warms the expression cache and the constraint index
for _ in 0..<runs {
    decodeTimes.append(seconds(clock.measure { trees = decodeAll() }))
    var pairs: [(element: FHIRElement, expressions: [FHIRPathExpression])] = []
    lookupTimes.append(seconds(clock.measure { pairs = applicable(trees) }))
    invariantTimes.append(seconds(clock.measure { evaluateAll(pairs) }))
}
let decode = decodeTimes.sorted()[runs / 2] / Double(records.count) * 1e6
let lookup = lookupTimes.sorted()[runs / 2] / Double(records.count) * 1e6
let invariants = invariantTimes.sorted()[runs / 2] / Double(records.count) * 1e6
print("records: \(records.count), constraint evaluations per run: \(evaluations), not satisfied: \(failures)")
print("decode JSON into the element model: \(Int(decode)) µs per record (median of \(runs))")
print("find the invariants that apply to each element (not counted below): \(Int(lookup)) µs per record")
print("evaluate every applicable invariant: \(Int(invariants)) µs per record (median of \(runs))")
for (text, count) in failing.sorted(by: { $0.value > $1.value }).prefix(8) {
    print("  not satisfied \(count)×: \(text)")
}
print("ratio invariants / decode: \(Double(Int(invariants / decode * 100)) / 100)")
if byExpression {
    print("time per expression over the last run (total µs, evaluations, expression):")
    for (text, cost) in spent.sorted(by: { $0.value.nanoseconds > $1.value.nanoseconds }).prefix(15) {
        print("  \(cost.nanoseconds / 1000) µs  \(cost.count)×  \(text.prefix(100))")
    }
}
