import FHIRElementModel
import FHIRPath
import FHIRValidation

/// One constraint's FHIRPath expression evaluated on an element by the FHIRPath engine, with
/// `%resource` and `%rootResource` set as the specification says and terminology answered
/// from the loaded packages.
enum Invariant {
    enum Outcome: Equatable {
        case satisfied
        case failed
        /// The expression cannot be evaluated offline, or the engine refused it: reported as
        /// information, never as a pass or a failure.
        case notEvaluated(String)
    }

    /// The environment invariants are evaluated in: the validator's definitions and
    /// terminology; ``evaluate(_:on:environment:)`` callers set `%resource` and
    /// `%rootResource` for each resource they walk.
    static func environment(for validator: ConformanceValidator) -> FHIRPathEnvironment {
        FHIRPathEnvironment(layouts: validator.definitions, terminology: ConformanceTerminology(validator: validator))
    }

    /// Evaluates an invariant on `node`: only `false` fails. An empty result passes, since
    /// R4's invariants give empty where the element they test is absent (`ref-1` on a
    /// reference with only a display, `bdl-8` on an entry without fullUrl).
    /// - Parameter environment: from ``environment(for:)``, with `%resource` (the resource
    ///   enclosing `node`) and `%rootResource` set.
    static func evaluate(_ invariant: CompiledInvariant, on node: FHIRElement, environment: FHIRPathEnvironment)
        -> Outcome
    {
        do {
            let expression = try invariant.expression.get()
            return try expression.isSatisfied(by: node, environment: environment) == false ? .failed : .satisfied
        } catch {
            return .notEvaluated(error.message)
        }
    }
}

/// `memberOf` and `conformsTo` for the FHIRPath engine, from the validator's packages.
struct ConformanceTerminology: FHIRPathTerminology {
    let validator: ConformanceValidator

    func memberOf(_ item: FHIRPathValue, valueSet: String) -> FHIRPathTerminologyAnswer {
        var codes: [(system: String?, code: String)] = []
        switch item {
        case .string(let code):
            codes = [(nil, code)]
        case .element(let element):
            switch element.typeName {
            case "Coding", "Quantity":
                if let code = element.child(named: "code")?.value {
                    codes = [(element.child(named: "system")?.value, code)]
                }
            case "CodeableConcept":
                codes = element.children(named: "coding").compactMap { coding in
                    coding.child(named: "code")?.value.map { (coding.child(named: "system")?.value, $0) }
                }
            default:
                if let value = element.value { codes = [(nil, value)] }
            }
        default:
            return .unknown("memberOf needs a code, Coding or CodeableConcept")
        }
        var unknown: String?
        for item in codes {
            switch validator.terminology.contains(system: item.system, code: item.code, in: valueSet) {
            case .member: return .yes
            case .notMember: continue
            case .unknown(let reason): unknown = reason
            }
        }
        return unknown.map { .unknown($0) } ?? .no
    }

    func conformsTo(_ resource: FHIRElement, profile: String) -> FHIRPathTerminologyAnswer {
        guard validator.book.structure(url: profile) != nil else {
            return .unknown("the profile \(profile) is not in the loaded packages")
        }
        var options = validator.options
        options.profiles = [profile]
        let findings = ConformanceValidator(sharing: validator, options: options).validate(resource)
        return findings.contains { $0.severity.isError } ? .no : .yes
    }
}
