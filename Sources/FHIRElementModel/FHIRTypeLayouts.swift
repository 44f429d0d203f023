/// What the element model's readers and writers need to know of FHIR's types: for each type,
/// its elements in specification order with their types and cardinality.
///
/// The definitions (`FHIRPackages`: base R4 carried with the tool, plus any packages loaded)
/// provide it; readers use it to type what they read (which `value[x]` type, primitive or
/// complex, a resource inside a resource), writers to write elements in specification order,
/// FHIRPath to know a type's base (`Age` is a `Quantity`, `Patient` a `DomainResource`).
public protocol FHIRTypeLayouts: Sendable {
    /// The layout of a type by its FHIR type code (`Patient`, `HumanName`, `string`), or nil
    /// when the loaded definitions do not define it.
    func layout(ofType typeName: String) -> FHIRTypeLayout?

    /// The children of an element defined inline (a backbone element such as
    /// `Patient.contact`), by the path of its definition; also what a `contentReference`
    /// (`#Questionnaire.item`) points at.
    func children(ofPath path: String) -> [FHIRElementLayout]?
}

/// One type's shape: its kind, its base type and its elements.
public struct FHIRTypeLayout: Sendable {
    /// The FHIR type code (`Patient`, `Quantity`, `decimal`).
    public var typeName: String
    /// Resource, complex datatype or primitive.
    public var kind: FHIRElement.Kind
    /// The type this one specializes (`DomainResource` for `Patient`, `Quantity` for `Age`,
    /// `Element` for `HumanName`); nil for `Base`/`Element`/`Resource` at the top.
    public var baseType: String?
    /// True for abstract types (`Resource`, `DomainResource`, `Element`, `BackboneElement`).
    public var isAbstract: Bool
    /// The elements directly inside the type, in specification order (for a primitive: its
    /// `id` and `extension`; the value itself is ``FHIRElement/value``).
    public var elements: [FHIRElementLayout]

    public init(
        typeName: String, kind: FHIRElement.Kind, baseType: String?, isAbstract: Bool,
        elements: [FHIRElementLayout]
    ) {
        self.typeName = typeName
        self.kind = kind
        self.baseType = baseType
        self.isAbstract = isAbstract
        self.elements = elements
    }
}

/// One element in a type's layout.
public struct FHIRElementLayout: Sendable {
    /// The name without a choice suffix (`value` for `value[x]`).
    public var name: String
    /// The path of its definition (`Observation.value[x]`, `Patient.contact.name`).
    public var path: String
    /// Its type codes: one for most elements, several for a choice (`Quantity`,
    /// `CodeableConcept`, …), `BackboneElement` or `Element` for an element defined inline.
    public var types: [String]
    /// The least number of times it occurs.
    public var min: Int
    /// The most times it occurs; nil for `*`.
    public var max: Int?
    /// True for a choice element (`value[x]`): on the wire its name carries the type.
    public var isChoice: Bool
    /// For an element defined inline or a `contentReference`, the path whose children it has
    /// (its own path, or the referenced one: `Questionnaire.item` for `Questionnaire.item.item`);
    /// look them up with ``FHIRTypeLayouts/children(ofPath:)``.
    public var childrenPath: String?

    public init(
        name: String, path: String, types: [String], min: Int, max: Int?, isChoice: Bool,
        childrenPath: String? = nil
    ) {
        self.name = name
        self.path = path
        self.types = types
        self.min = min
        self.max = max
        self.isChoice = isChoice
        self.childrenPath = childrenPath
    }

    /// True when it may occur more than once.
    public var repeats: Bool { max.map { $0 > 1 } ?? true }
}
