/// The Swift shape of the models, built from the StructureDefinitions.
struct GeneratedModel {
    var types: [TypeModel]
    var resources: [String]
}

/// A struct to generate: a datatype, a resource, or a backbone element nested in one of them.
final class TypeModel {
    enum Kind { case resource, datatype, backbone }

    /// The Swift name, qualified for nested types (`MedicationRequest.DispenseRequest`).
    let qualifiedName: String
    /// The name inside its parent (`DispenseRequest`).
    let localName: String
    /// The FHIR path (`MedicationRequest.dispenseRequest`).
    let path: String
    let kind: Kind
    let doc: String
    var properties: [PropertyModel] = []
    var nested: [TypeModel] = []

    init(qualifiedName: String, localName: String, path: String, kind: Kind, doc: String) {
        self.qualifiedName = qualifiedName
        self.localName = localName
        self.path = path
        self.kind = kind
        self.doc = doc
    }
}

/// The Swift type of one element's value.
enum ValueShape {
    /// `Element.id`, `Extension.url`: a bare string (an XML attribute), with no `_name`.
    case plainString
    /// A FHIR primitive: `FHIRPrimitive<swiftType>`, with a `_name` partner in JSON.
    case primitive(swiftType: String)
    /// The narrative `div`.
    case xhtml
    /// A datatype or backbone element, by qualified Swift name.
    case complex(swiftType: String)
    /// A resource inside a resource (`contained`, `Bundle.entry.resource`).
    case resource
}

/// One variant of a choice element.
struct ChoiceVariant {
    var caseName: String
    var jsonName: String
    var shape: ValueShape
}

struct PropertyModel {
    /// The JSON name (`status`), or the choice's base name (`value` for `value[x]`).
    var jsonName: String
    var fhirName: String
    var min: Int
    var max: String
    var isArray: Bool
    var doc: String
    var bindingStrength: String?
    var bindingValueSet: String?
    /// The FHIR type codes allowed (`code`, `Quantity`, `BackboneElement`; several for a choice).
    var fhirTypes: [String]
    /// Set for choice elements; `shape` is unused then.
    var choice: [ChoiceVariant]?
    var shape: ValueShape
    /// The resource types a `Reference` may point to (`Resource` for any), from `targetProfile`.
    var referenceTargets: [String] = []
    /// The backbone element whose structure this element reuses (`Observation.referenceRange`).
    var contentReference: String?
    var choiceEnumName: String { upperFirst(jsonName) + "X" }
}

/// The Swift value type of each FHIR primitive type.
let primitiveSwiftTypes: [String: String] = [
    "boolean": "Bool",
    "integer": "Int32", "positiveInt": "Int32", "unsignedInt": "Int32",
    "decimal": "FHIRDecimal",
    "date": "FHIRDate", "dateTime": "FHIRDateTime", "instant": "FHIRInstant", "time": "FHIRTime",
    "string": "String", "code": "String", "id": "String", "markdown": "String", "uri": "String",
    "url": "String", "canonical": "String", "oid": "String", "uuid": "String", "base64Binary": "String",
]

func upperFirst(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }
func lowerFirst(_ text: String) -> String { text.prefix(1).lowercased() + text.dropFirst() }

struct ModelBuilder {
    struct BuildError: Error, CustomStringConvertible { var description: String }

    let definitions: [StructureDefinitionInfo]

    /// Names a nested type may not take: Swift's reserved member type names, and every
    /// top-level type (a nested `Reference` would shadow the datatype inside its parent).
    private var reservedNestedNames: Set<String> {
        Set(definitions.map(\.name)).union(["Type", "Protocol", "Self", "Any", "AnyResource"])
    }

    func build() throws -> GeneratedModel {
        let generated = definitions.filter { ($0.kind == "resource" || $0.kind == "complex-type") && !$0.isAbstract }
        let knownComplex = Set(generated.filter { $0.kind == "complex-type" }.map(\.name))
        var types: [TypeModel] = []
        for definition in generated {
            types.append(try buildType(definition, knownComplex: knownComplex))
        }
        return GeneratedModel(types: types, resources: generated.filter { $0.kind == "resource" }.map(\.name).sorted())
    }

    private func buildType(_ definition: StructureDefinitionInfo, knownComplex: Set<String>) throws -> TypeModel {
        let root = TypeModel(
            qualifiedName: definition.name, localName: definition.name, path: definition.name,
            kind: definition.kind == "resource" ? .resource : .datatype, doc: definition.description)
        // Backbone types by path, so `contentReference: #Bundle.link` finds `Bundle.Link`.
        var backbones: [String: TypeModel] = [definition.name: root]
        let elements = definition.elements.dropFirst()  // the first is the type itself
        // Pass 1: create the backbone types in path order, so each parent exists first.
        for element in elements where isBackbone(element, in: definition) {
            let parentPath = String(element.path[..<element.path.lastIndex(of: ".")!])
            guard let parent = backbones[parentPath] else {
                throw BuildError(description: "\(element.path): parent \(parentPath) is not a backbone element")
            }
            var local = upperFirst(element.name)
            let siblings = Set(parent.nested.map(\.localName))
            if reservedNestedNames.contains(local) || siblings.contains(local) || local == parent.localName {
                local += "Component"
            }
            let nested = TypeModel(
                qualifiedName: parent.qualifiedName + "." + local, localName: local, path: element.path,
                kind: .backbone, doc: element.short)
            parent.nested.append(nested)
            backbones[element.path] = nested
        }
        // Pass 2: properties, in snapshot (= specification) order.
        for element in elements {
            let parentPath = String(element.path[..<element.path.lastIndex(of: ".")!])
            guard let parent = backbones[parentPath] else { continue }  // a child of a choice or primitive
            parent.properties.append(
                try property(element, in: definition, backbones: backbones, knownComplex: knownComplex))
        }
        return root
    }

    /// An element with its own children: type BackboneElement or Element, with no contentReference.
    private func isBackbone(_ element: ElementDefinitionInfo, in definition: StructureDefinitionInfo) -> Bool {
        guard element.contentReference == nil, element.types.count == 1,
            ["BackboneElement", "Element"].contains(element.types[0].code)
        else { return false }
        return definition.elements.contains { $0.path.hasPrefix(element.path + ".") }
    }

    private func property(
        _ element: ElementDefinitionInfo, in definition: StructureDefinitionInfo,
        backbones: [String: TypeModel], knownComplex: Set<String>
    ) throws -> PropertyModel {
        var model = PropertyModel(
            jsonName: element.isChoice ? String(element.name.dropLast(3)) : element.name,
            fhirName: element.name, min: element.min, max: element.max, isArray: element.isArray,
            doc: element.short, bindingStrength: element.bindingStrength, bindingValueSet: element.bindingValueSet,
            fhirTypes: element.types.map { $0.code.hasPrefix("http://hl7.org/fhirpath/System.") ? "string" : $0.code },
            choice: nil, shape: .plainString)
        model.referenceTargets = element.types.filter { $0.code == "Reference" }.flatMap(\.targets)
        if let reference = element.contentReference {
            let target = String(reference.dropFirst())
            model.contentReference = target
            guard let type = backbones[target] else {
                throw BuildError(
                    description: "\(element.path): contentReference \(reference) names no backbone element")
            }
            model.shape = .complex(swiftType: type.qualifiedName)
            model.fhirTypes = ["BackboneElement"]
            return model
        }
        if element.isChoice {
            model.choice = try element.types.map { type in
                ChoiceVariant(
                    caseName: lowerFirst(type.code),
                    jsonName: model.jsonName + upperFirst(type.code),
                    shape: try shape(of: type.code, element: element, knownComplex: knownComplex))
            }
            return model
        }
        if let backbone = backbones[element.path] {
            model.shape = .complex(swiftType: backbone.qualifiedName)
            return model
        }
        guard element.types.count == 1 else {
            throw BuildError(description: "\(element.path): \(element.types.count) types on a non-choice element")
        }
        let code = element.types[0].code
        if code == "http://hl7.org/fhirpath/System.String" {
            // Element.id and Extension.url are bare strings; Resource.id is a full primitive.
            let isResourceID = definition.kind == "resource" && element.path == definition.name + ".id"
            model.shape = isResourceID ? .primitive(swiftType: "String") : .plainString
            return model
        }
        model.shape = try shape(of: code, element: element, knownComplex: knownComplex)
        return model
    }

    private func shape(of code: String, element: ElementDefinitionInfo, knownComplex: Set<String>) throws -> ValueShape
    {
        if code == "xhtml" { return .xhtml }
        if let swift = primitiveSwiftTypes[code] { return .primitive(swiftType: swift) }
        if code == "Resource" { return .resource }
        if knownComplex.contains(code) { return .complex(swiftType: code) }
        throw BuildError(description: "\(element.path): type \(code) has no StructureDefinition in the folder")
    }
}
