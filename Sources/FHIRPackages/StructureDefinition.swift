public import FHIRJSON

/// A StructureDefinition as validation, the element model and FHIRPath use it: its identity,
/// what it defines or constrains, and its snapshot's elements.
///
/// Read from a package's FHIR JSON, or from the compact form of base R4 the tool carries
/// (the same JSON shape with only these fields kept). Text meant for people (`short`,
/// `definition`, `comment`, mappings) is not kept.
public struct StructureDefinition: Sendable {
    /// What a StructureDefinition defines (`StructureDefinition.kind`).
    public enum Kind: String, Sendable {
        case primitiveType = "primitive-type"
        case complexType = "complex-type"
        case resource
        case logical
    }

    /// How it relates to its base (`StructureDefinition.derivation`).
    public enum Derivation: String, Sendable {
        /// A new type (`Patient` from `DomainResource`, `Age` from `Quantity`).
        case specialization
        /// A profile: the base type, constrained (`vitalsigns` on `Observation`).
        case constraint
    }

    /// Where an extension may be used (`StructureDefinition.context`).
    public struct Context: Sendable, Equatable {
        /// `fhirpath`, `element` or `extension`.
        public var type: String
        /// The path, element id or extension URL.
        public var expression: String
    }

    /// The canonical URL.
    public var url: String
    /// The business version, when given.
    public var version: String?
    /// The computer-friendly name.
    public var name: String
    /// The type defined or constrained (`Observation` for `vitalsigns`).
    public var type: String
    /// Primitive, complex type, resource or logical model.
    public var kind: Kind
    /// True for abstract types (`Resource`, `DomainResource`, `Element`, `BackboneElement`).
    public var isAbstract: Bool
    /// The canonical URL of the definition this one derives from; nil for `Element` and
    /// `Resource` at the top.
    public var baseDefinition: String?
    /// Specialization or constraint; nil at the top of the hierarchy.
    public var derivation: Derivation?
    /// For an extension: where it may be used.
    public var contexts: [Context]
    /// For an extension: FHIRPath invariants on the element it is used on.
    public var contextInvariants: [String]
    /// The snapshot's elements, in order (slices follow the element they slice).
    public var elements: [ElementDefinition]

    public init(
        url: String, version: String? = nil, name: String, type: String, kind: Kind, isAbstract: Bool,
        baseDefinition: String?, derivation: Derivation?, contexts: [Context] = [], contextInvariants: [String] = [],
        elements: [ElementDefinition]
    ) {
        self.url = url
        self.version = version
        self.name = name
        self.type = type
        self.kind = kind
        self.isAbstract = isAbstract
        self.baseDefinition = baseDefinition
        self.derivation = derivation
        self.contexts = contexts
        self.contextInvariants = contextInvariants
        self.elements = elements
    }

    /// True for a profile (a constraint on a type), false for a type's own definition.
    public var isProfile: Bool { derivation == .constraint }

    /// True for an extension definition (a profile of `Extension`).
    public var isExtension: Bool { type == "Extension" && derivation == .constraint }

    /// The element with this id (`Observation.component:systolic.code`), or by path when no
    /// id matches.
    public func element(id: String) -> ElementDefinition? {
        elements.first { $0.id == id }
    }

    /// The snapshot elements whose path is `path` (slices included), in order.
    public func elements(atPath path: String) -> [ElementDefinition] {
        elements.filter { $0.path == path }
    }
}

/// One element of a snapshot (`StructureDefinition.snapshot.element`).
public struct ElementDefinition: Sendable {
    /// A type the element may have (`ElementDefinition.type`).
    public struct TypeReference: Sendable, Equatable {
        /// The type code as written: a FHIR type (`Quantity`), or a FHIRPath system type URL
        /// (`http://hl7.org/fhirpath/System.String`) for an `id`, `url` or primitive value.
        public var code: String
        /// The FHIR type the `structuredefinition-fhir-type` extension names, for system types.
        public var fhirType: String?
        /// Profiles the value must conform to (extension definitions for `Extension`).
        public var profiles: [String]
        /// For `Reference` and `canonical`: the profiles the target must conform to.
        public var targetProfiles: [String]
        /// For a primitive's value: the regular expression its text must match.
        public var regex: String?

        public init(
            code: String, fhirType: String? = nil, profiles: [String] = [], targetProfiles: [String] = [],
            regex: String? = nil
        ) {
            self.code = code
            self.fhirType = fhirType
            self.profiles = profiles
            self.targetProfiles = targetProfiles
            self.regex = regex
        }

        /// The FHIR type name: ``fhirType`` when the code is a system type, else ``code``.
        public var typeName: String { fhirType ?? code }
    }

    /// A value an element must have (`fixed[x]`) or must contain (`pattern[x]`), or a bound
    /// (`minValue[x]`, `maxValue[x]`), as FHIR JSON with its type.
    public struct Value: Sendable, Equatable {
        /// The FHIR type, from the `[x]` suffix (`CodeableConcept` for `patternCodeableConcept`).
        public var typeName: String
        /// The value as FHIR JSON (numbers keep their exact text).
        public var json: JSONTree

        public init(typeName: String, json: JSONTree) {
            self.typeName = typeName
            self.json = json
        }
    }

    /// The binding of a coded element to a ValueSet.
    public struct Binding: Sendable, Equatable {
        /// `required`, `extensible`, `preferred` or `example`.
        public enum Strength: String, Sendable {
            case required, extensible, preferred, example
        }

        public var strength: Strength
        /// The ValueSet's canonical URL (possibly with `|version`).
        public var valueSet: String?

        public init(strength: Strength, valueSet: String?) {
            self.strength = strength
            self.valueSet = valueSet
        }
    }

    /// An invariant (`ElementDefinition.constraint`).
    public struct Constraint: Sendable, Equatable {
        /// `error` or `warning`.
        public enum Severity: String, Sendable {
            case error, warning
        }

        /// Its key (`ele-1`, `vs-2`).
        public var key: String
        public var severity: Severity
        /// What it means, for people.
        public var human: String
        /// The FHIRPath expression that must be true; nil where a definition gives none.
        public var expression: String?
        /// The StructureDefinition that first defined it, when inherited.
        public var source: String?
        /// Whether it is a best-practice rule (the `elementdefinition-bestpractice` extension),
        /// which the HL7 validator reports as a warning whatever its severity, unless told otherwise.
        public var isBestPractice: Bool

        public init(
            key: String, severity: Severity, human: String, expression: String?, source: String?,
            isBestPractice: Bool = false
        ) {
            self.key = key
            self.severity = severity
            self.human = human
            self.expression = expression
            self.source = source
            self.isBestPractice = isBestPractice
        }
    }

    /// How repetitions of an element are told apart (`ElementDefinition.slicing`).
    public struct Slicing: Sendable, Equatable {
        /// One discriminator: its type (`value`, `pattern`, `type`, `profile`, `exists`) and
        /// the FHIRPath it applies to.
        public struct Discriminator: Sendable, Equatable {
            public var type: String
            public var path: String

            public init(type: String, path: String) {
                self.type = type
                self.path = path
            }
        }

        /// `closed`, `open` or `openAtEnd`.
        public enum Rules: String, Sendable {
            case closed, open, openAtEnd
        }

        public var discriminators: [Discriminator]
        public var rules: Rules
        public var ordered: Bool

        public init(discriminators: [Discriminator], rules: Rules, ordered: Bool) {
            self.discriminators = discriminators
            self.rules = rules
            self.ordered = ordered
        }
    }

    /// The element id (`Observation.component:systolic.code`).
    public var id: String
    /// The path (`Observation.component.code`).
    public var path: String
    /// The slice this element starts, when it does.
    public var sliceName: String?
    /// The least number of occurrences.
    public var min: Int
    /// The most occurrences; nil for `*`.
    public var max: Int?
    /// The types allowed; empty for the root and for a `contentReference`.
    public var types: [TypeReference]
    /// For an element defined elsewhere in the same type (`#Questionnaire.item`), the path
    /// (without `#`) of that element.
    public var contentReference: String?
    /// `fixed[x]`.
    public var fixed: Value?
    /// `pattern[x]`.
    public var pattern: Value?
    /// `minValue[x]`.
    public var minValue: Value?
    /// `maxValue[x]`.
    public var maxValue: Value?
    /// The most characters a string value may have.
    public var maxLength: Int?
    public var binding: Binding?
    public var constraints: [Constraint]
    /// True when the element changes the meaning of its container.
    public var isModifier: Bool
    /// True when a profile marks it must-support (not an error when absent).
    public var mustSupport: Bool
    public var slicing: Slicing?
    /// How the element is written in XML (`xmlAttr`, `xhtml`, …); empty for an XML element.
    public var representation: [String]

    public init(
        id: String, path: String, sliceName: String? = nil, min: Int, max: Int?, types: [TypeReference],
        contentReference: String? = nil, fixed: Value? = nil, pattern: Value? = nil, minValue: Value? = nil,
        maxValue: Value? = nil, maxLength: Int? = nil, binding: Binding? = nil, constraints: [Constraint] = [],
        isModifier: Bool = false, mustSupport: Bool = false, slicing: Slicing? = nil, representation: [String] = []
    ) {
        self.id = id
        self.path = path
        self.sliceName = sliceName
        self.min = min
        self.max = max
        self.types = types
        self.contentReference = contentReference
        self.fixed = fixed
        self.pattern = pattern
        self.minValue = minValue
        self.maxValue = maxValue
        self.maxLength = maxLength
        self.binding = binding
        self.constraints = constraints
        self.isModifier = isModifier
        self.mustSupport = mustSupport
        self.slicing = slicing
        self.representation = representation
    }

    /// The last part of the path, `[x]` kept (`value[x]`).
    public var name: Substring {
        path.lastIndex(of: ".").map { path[path.index(after: $0)...] } ?? path[...]
    }

    /// True for a choice element (`value[x]`).
    public var isChoice: Bool { path.hasSuffix("[x]") }
}
