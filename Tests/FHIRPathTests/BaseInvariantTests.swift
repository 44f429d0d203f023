import FHIRElementModel
import FHIRJSON
import FHIRPackages
import FHIRPath
import FHIRTestSupport
import FHIRXML
import Foundation
import Testing

/// Every invariant of the base R4 definitions parses (195 distinct expressions), and the
/// error-level ones hold on the suite's example resources (HL7's examples are valid).
@Suite struct BaseInvariantTests {
    /// Each distinct constraint expression of base R4, with the key it has.
    static func constraints() -> [(key: String, path: String, expression: String)] {
        let definitions = FHIRDefinitions.baseR4
        var seen = Set<String>()
        var result: [(String, String, String)] = []
        for typeName in definitions.typeNames {
            guard let definition = definitions.structureDefinition(ofType: typeName) else { continue }
            for element in definition.elements {
                for constraint in element.constraints {
                    guard let expression = constraint.expression, seen.insert(expression).inserted else { continue }
                    result.append((constraint.key, element.path, expression))
                }
            }
        }
        return result
    }

    @Test func everyBaseInvariantParses() {
        let all = Self.constraints()
        #expect(all.count > 150)
        for (key, path, expression) in all {
            do {
                _ = try FHIRPathExpression.parse(expression)
            } catch {
                Issue.record("\(key) on \(path) does not parse: \(error)")
            }
        }
    }

    @Test func invariantsHoldOnTheSuiteExamples() throws {
        guard let folder = SharedCorpus.url("fhirpath/r4") else {
            print(SharedCorpus.absentMessage)
            return
        }
        let definitions = FHIRDefinitions.baseR4
        let index = FHIRLayoutIndex(definitions)
        var evaluated = 0
        for name in [
            "patient-example.xml", "observation-example.xml", "questionnaire-example.xml",
            // Not codesystem-example.xml: the suite's copy repeats a code (its testCombine1 relies
            // on that), so it breaks csd-1.
            "valueset-example-expansion.xml", "explanationofbenefit-example.json",
            "appointment-examplereq.json",
        ] {
            let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
            let root =
                name.hasSuffix(".json")
                ? try FHIRElementJSONReader(index: index).read(bytes, lenient: true).0
                : try FHIRElementXMLReader(index: index).read(bytes, lenient: true).0
            var pending = [root]
            while let element = pending.popLast() {
                pending.append(contentsOf: element.children)
                let path =
                    element.parent == nil || element.kind == .resource ? element.typeName : element.definitionPath
                guard let path,
                    let definition = definitions.structureDefinition(ofType: String(path.prefix { $0 != "." }))
                else { continue }
                for elementDefinition in definition.elements(atPath: path) {
                    for constraint in elementDefinition.constraints where constraint.severity == .error {
                        guard let text = constraint.expression else { continue }
                        evaluated += 1
                        let environment = FHIRPathEnvironment(layouts: definitions)
                        do {
                            let holds = try FHIRPathExpression.parse(text).isSatisfied(
                                by: element, environment: environment)
                            #expect(holds != false, "\(name): \(constraint.key) fails at \(element.fhirPath): \(text)")
                        } catch {
                            Issue.record("\(name): \(constraint.key) at \(element.fhirPath): \(error)")
                        }
                    }
                }
            }
        }
        #expect(evaluated > 100)
    }

    /// The conditions compiled to closures (``FHIRPathExpression/isSatisfied(by:environment:)``
    /// without the evaluator) answer as the evaluator does, on every element of real resources:
    /// each shape the compiler takes, ele-1 and ext-1 among them.
    @Test func compiledConditionsAnswerAsTheEvaluatorDoes() throws {
        guard let folder = SharedCorpus.url("fhir-r4/all-types/json") else {
            print(SharedCorpus.absentMessage)
            return
        }
        let conditions = [
            "hasValue() or (children().count() > id.count())", "extension.exists() != value.exists()",
            "code.empty() or system.exists()", "name.given.count() >= 2", "name.exists() and birthDate.hasValue()",
            "(telecom.count() = 0) implies active.exists()", "gender.hasValue().not() xor deceased.exists()",
            "children().count() <= 3", "(contact.name.family.exists() = true) or false", "name.count() != 1",
            "identifier.empty() = meta.exists()", "text.status.hasValue()", "coding.code.count() < coding.count()",
            "1 < 2", "children().count() > extension.count()", "htmlChecks()", "htmlChecks() or id.exists()",
        ]
        let expressions = try conditions.map { try FHIRPathExpression.parse($0) }
        var compared = 0
        try CorpusElements.forEach(ofFirst: 60, in: folder) { file, _, element in
            for expression in expressions {
                let compiled = try expression.isSatisfied(by: element)
                let result = try expression.evaluate(on: element)
                #expect(result.count == 1, "\(expression.text) gave \(result.count) items at \(element.fhirPath)")
                guard case .boolean(let evaluated)? = result.first?.systemValue ?? result.first else {
                    Issue.record("\(expression.text) gave no Boolean at \(element.fhirPath) in \(file)")
                    continue
                }
                #expect(
                    compiled == evaluated,
                    "\(expression.text) at \(element.fhirPath) in \(file): compiled \(String(describing: compiled))")
                compared += 1
            }
        }
        #expect(compared > 10_000)
    }
}
