import FHIRElementModel
import FHIRJSON
import FHIRPackages
import FHIRTestSupport
import Foundation
import Testing

@testable import FHIRPath

/// The shortcuts of conditions that do not compile whole (`FHIRPathCondition.shortcut(_:)`):
/// where one answers true, the evaluator answers true too.
@Suite struct ConditionShortcutTests {
    /// R4 invariants of the shapes the shortcut takes (ref-1, dom-3, per-1, obs-7, con-4, an
    /// `implies`) and made-up ones for each rule of it (`and`, `not()`, `exists()` after `where`).
    static let conditions = [
        "reference.startsWith('#').not() or (reference.substring(1).trace('url') in %rootResource.contained.id"
            + ".trace('ids')) or (reference = '#' and %rootResource != %resource)",
        "contained.where((('#'+id in (%resource.descendants().reference | %resource.descendants().as(canonical)"
            + " | %resource.descendants().as(uri) | %resource.descendants().as(url))) or descendants().where("
            + "reference = '#').exists() or descendants().where(as(canonical) = '#').exists() or descendants()"
            + ".where(as(canonical) = '#').exists()).not()).trace('unmatched', id).empty()",
        "start.hasValue().not() or end.hasValue().not() or (start <= end)",
        "value.empty() or component.code.where(coding.intersect(%resource.code.coding).exists()).empty()",
        "abatement.empty() or clinicalStatus.coding.where(system='http://terminology.hl7.org/CodeSystem/"
            + "condition-clinical' and (code='resolved' or code='remission' or code='inactive')).exists()",
        "period.exists() implies period >= 0",
        "system.startsWith('http').not() or code.length() > 0",
        "(name.exists().not() or gender.exists().not()) or name.given.first() = 'x'",
        "(extension.empty() and modifierExtension.empty()) and (id.empty() or id.length() < 65)",
        "coding.where(system = 'http://loinc.org').exists().not() or text.length() > 1",
        "identifier.select(value).first().exists() implies identifier.value.length() > 0",
        "url.startsWith('http').not() or url.length() > 4",
    ]

    @Test func aShortcutAnswersTrueOnlyWhereTheEvaluatorDoes() throws {
        guard let folder = SharedCorpus.url("fhir-r4/all-types/json") else {
            print(SharedCorpus.absentMessage)
            return
        }
        let expressions = try Self.conditions.map { try FHIRPathExpression.parse($0) }
        let shortcuts = expressions.map { FHIRPathCondition.shortcut($0.root) }
        for (text, shortcut) in zip(Self.conditions, shortcuts) {
            #expect(shortcut != nil, "no shortcut for \(text)")
        }
        var decided = [Int](repeating: 0, count: expressions.count)
        var undecided = 0
        try CorpusElements.forEach(ofFirst: 120, in: folder) { file, root, element in
            let environment = CorpusElements.environment(for: element, root: root)
            for (position, expression) in expressions.enumerated() {
                guard let shortcut = shortcuts[position], shortcut(element) else {
                    undecided += 1
                    continue
                }
                decided[position] += 1
                let result = try expression.evaluate(on: element, environment: environment)
                #expect(
                    Self.isTrue(result),
                    "\(expression.text) at \(element.fhirPath) in \(file): evaluator gave \(result)")
            }
        }
        // Every shortcut decides somewhere, and not everywhere (the evaluator still has work).
        for (text, count) in zip(Self.conditions, decided) { #expect(count > 0, "never decided: \(text)") }
        #expect(undecided > 0)
    }

    static func isTrue(_ result: [FHIRPathValue]) -> Bool {
        guard result.count == 1, case .boolean(true) = result[0].systemValue ?? result[0] else { return false }
        return true
    }

    /// A local reference makes ref-1's first part false: the evaluator decides, and finds it
    /// resolves (or not) in the container.
    @Test func aLocalReferenceIsLeftToTheEvaluator() throws {
        let index = FHIRLayoutIndex(FHIRDefinitions.baseR4)
        let json = #"""
            {"resourceType":"MedicationRequest","contained":[{"resourceType":"Medication","id":"m1"}],
             "status":"active","intent":"order","medicationReference":{"reference":"#m1"},
             "subject":{"reference":"#nowhere"}}
            """#
        let root = try FHIRElementJSONReader(index: index).read(Array(json.utf8), lenient: true).0
        let ref1 = try FHIRPathExpression.parse(Self.conditions[0])
        let shortcut = try #require(FHIRPathCondition.shortcut(ref1.root))
        var environment = FHIRPathEnvironment(layouts: FHIRDefinitions.baseR4)
        environment.resource = root
        environment.rootResource = root
        let medication = try #require(root.child(named: "medication"))
        let subject = try #require(root.child(named: "subject"))
        #expect(!shortcut(medication) && !shortcut(subject))
        #expect(try ref1.isSatisfied(by: medication, environment: environment) == true)
        #expect(try ref1.isSatisfied(by: subject, environment: environment) == false)
        // dom-3: the contained Medication is referred to, so the evaluator says true; without
        // contained resources the shortcut says so itself.
        let dom3 = try FHIRPathExpression.parse(Self.conditions[1])
        #expect(FHIRPathCondition.shortcut(dom3.root).map { $0(root) } == false)
        #expect(try dom3.isSatisfied(by: root, environment: environment) == true)
    }
}
