/// What the StructureDefinitions say about each element, generated beside the models
/// (`Generated/FHIRDefinitions.swift`), so validation derives cardinality, types and required
/// bindings from the specification instead of restating them by hand.
public enum FHIRDefinitions {}

/// One element of a type: its JSON name (the base name for a `[x]` choice), cardinality,
/// allowed FHIR types and binding.
public struct FHIRElementInfo: Hashable, Sendable {
    /// How strongly a coded element is bound to its value set.
    public enum BindingStrength: String, Hashable, Sendable {
        case required, extensible, preferred, example
    }

    /// A value-set binding.
    public struct Binding: Hashable, Sendable {
        public var strength: BindingStrength
        /// The value set's canonical URL, with its version when the specification gives one.
        public var valueSet: String
    }

    public var name: String
    public var min: Int
    /// The maximum count, or `nil` for `*`.
    public var max: Int?
    /// FHIR type codes: `code`, `Quantity`, `BackboneElement`; several for a choice.
    public var types: [String]
    public var isChoice: Bool
    public var binding: Binding?

    public init(name: String, min: Int, max: Int?, types: [String], isChoice: Bool, binding: Binding?) {
        self.name = name
        self.min = min
        self.max = max
        self.types = types
        self.isChoice = isChoice
        self.binding = binding
    }
}
