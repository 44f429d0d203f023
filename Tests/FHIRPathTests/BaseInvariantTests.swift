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
}
