public import FHIRElementModel

/// What a terminology or profile question got: an answer, or why there is none offline.
public enum FHIRPathTerminologyAnswer: Sendable, Equatable {
    case yes
    case no
    /// The loaded packages cannot answer (a ValueSet that cannot be expanded offline, a profile
    /// not loaded). Evaluation fails with ``FHIRPathError/Stage/cannotEvaluate`` and this reason.
    case unknown(String)
}

/// Answers `memberOf`, `conformsTo`, `subsumes` and `subsumedBy` from definitions the caller
/// holds (FHIR packages, local ValueSet expansions). The engine never guesses these.
public protocol FHIRPathTerminology: Sendable {
    /// Whether a code (a `code`, `Coding` or `CodeableConcept` element, or a string) is in the
    /// ValueSet with canonical `valueSet`.
    func memberOf(_ item: FHIRPathValue, valueSet: String) -> FHIRPathTerminologyAnswer
    /// Whether a resource conforms to the profile with canonical `profile`.
    func conformsTo(_ resource: FHIRElement, profile: String) -> FHIRPathTerminologyAnswer
    /// Whether the code `item` subsumes `other` (`subsumes`), in their code system.
    func subsumes(_ item: FHIRPathValue, _ other: FHIRPathValue) -> FHIRPathTerminologyAnswer
}

extension FHIRPathTerminology {
    public func subsumes(_ item: FHIRPathValue, _ other: FHIRPathValue) -> FHIRPathTerminologyAnswer {
        .unknown("no code system hierarchy is loaded")
    }
}

/// Everything an evaluation may consult beyond the input: type definitions, terminology,
/// variables (`%name`), `trace` output, and the limits that bound work on hostile input.
public struct FHIRPathEnvironment: Sendable {
    /// The type definitions: the base-type chain for `is`/`as`/`ofType`, and, in strict mode,
    /// which elements a type has. Without them a built-in R4 hierarchy is used.
    public var layouts: (any FHIRTypeLayouts)?
    /// Answers `memberOf`, `conformsTo`, `subsumes`; without it these cannot be evaluated.
    public var terminology: (any FHIRPathTerminology)?
    /// `%resource`; by default the resource enclosing the input.
    public var resource: FHIRElement?
    /// `%rootResource`; by default the outermost resource above the input.
    public var rootResource: FHIRElement?
    /// Further `%name` constants.
    public var variables: [String: [FHIRPathValue]]
    /// Receives `trace(name)` output; nil discards it.
    public var trace: (@Sendable (String, [FHIRPathValue]) -> Void)?
    /// When true (and ``layouts`` are given), a path naming an element its type does not have
    /// (`name.given1`, `Observation.valueQuantity`) is an error rather than empty.
    public var strict: Bool
    /// The most items any intermediate collection may hold.
    public var maximumCollectionSize: Int
    /// The most evaluation steps one evaluation may take (every node visited, every item a
    /// function iterates), so `repeat` and nested `where` on hostile input stop. A constant part
    /// of an argument evaluated per item (`%resource.descendants()` inside `where`) is computed,
    /// and its steps counted, once per evaluation.
    public var maximumSteps: Int

    public init(
        layouts: (any FHIRTypeLayouts)? = nil, terminology: (any FHIRPathTerminology)? = nil,
        resource: FHIRElement? = nil, rootResource: FHIRElement? = nil, variables: [String: [FHIRPathValue]] = [:],
        trace: (@Sendable (String, [FHIRPathValue]) -> Void)? = nil, strict: Bool = false,
        maximumCollectionSize: Int = 1_000_000, maximumSteps: Int = 50_000_000
    ) {
        self.layouts = layouts
        self.terminology = terminology
        self.resource = resource
        self.rootResource = rootResource
        self.variables = variables
        self.trace = trace
        self.strict = strict
        self.maximumCollectionSize = maximumCollectionSize
        self.maximumSteps = maximumSteps
    }
}
