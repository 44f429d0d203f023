internal import FHIRJSON

extension StructureDefinition {
    /// Reads a StructureDefinition from FHIR JSON (a package's file or the carried compact
    /// form, where an element's `id` may be left out when it equals the path and a constraint
    /// may be a number: an index into `sharedConstraints`).
    /// - Throws: ``FHIRPackageError`` naming the definition and the missing or bad field.
    init(json: JSONTree, sharedConstraints: [ElementDefinition.Constraint] = []) throws(FHIRPackageError) {
        guard json["resourceType"]?.stringValue == "StructureDefinition" else {
            throw FHIRPackageError("not a StructureDefinition")
        }
        guard let url = json["url"]?.stringValue else { throw FHIRPackageError("a StructureDefinition has no url") }
        func bad(_ field: String) -> FHIRPackageError {
            FHIRPackageError("StructureDefinition \(url): \(field) is missing or not valid")
        }
        guard let type = json["type"]?.stringValue else { throw bad("type") }
        guard let kindText = json["kind"]?.stringValue, let kind = Kind(rawValue: kindText) else { throw bad("kind") }
        var derivation: Derivation?
        if let text = json["derivation"]?.stringValue {
            guard let value = Derivation(rawValue: text) else { throw bad("derivation") }
            derivation = value
        }
        var elements: [ElementDefinition] = []
        let snapshot = json["snapshot"]?["element"]?.arrayValue ?? []
        elements.reserveCapacity(snapshot.count)
        for element in snapshot {
            elements.append(try ElementDefinition(json: element, in: url, sharedConstraints: sharedConstraints))
        }
        self.init(
            url: url, version: json["version"]?.stringValue, name: json["name"]?.stringValue ?? type, type: type,
            kind: kind, isAbstract: json["abstract"]?.boolValue ?? false,
            baseDefinition: json["baseDefinition"]?.stringValue, derivation: derivation,
            contexts: (json["context"]?.arrayValue ?? []).compactMap { context in
                guard let type = context["type"]?.stringValue, let expression = context["expression"]?.stringValue
                else { return nil }
                return Context(type: type, expression: expression)
            },
            contextInvariants: (json["contextInvariant"]?.arrayValue ?? []).compactMap(\.stringValue),
            elements: elements)
    }
}

extension ElementDefinition {
    static let fhirTypeExtension = "http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type"
    static let regexExtension = "http://hl7.org/fhir/StructureDefinition/regex"

    init(json: JSONTree, in url: String, sharedConstraints: [Constraint]) throws(FHIRPackageError) {
        guard let path = json["path"]?.stringValue else {
            throw FHIRPackageError("StructureDefinition \(url): an element has no path")
        }
        let id = json["id"]?.stringValue ?? path
        func bad(_ field: String) -> FHIRPackageError {
            FHIRPackageError("StructureDefinition \(url), element \(id): \(field) is not valid")
        }
        var max: Int?
        if let text = json["max"]?.stringValue, text != "*" {
            guard let value = Int(text) else { throw bad("max") }
            max = value
        }
        var types: [TypeReference] = []
        for type in json["type"]?.arrayValue ?? [] {
            guard let code = type["code"]?.stringValue else { throw bad("type.code") }
            var reference = TypeReference(
                code: code, profiles: (type["profile"]?.arrayValue ?? []).compactMap(\.stringValue),
                targetProfiles: (type["targetProfile"]?.arrayValue ?? []).compactMap(\.stringValue))
            for extensionValue in type["extension"]?.arrayValue ?? [] {
                switch extensionValue["url"]?.stringValue {
                case Self.fhirTypeExtension?:
                    reference.fhirType =
                        extensionValue["valueUrl"]?.stringValue ?? extensionValue["valueUri"]?.stringValue
                case Self.regexExtension?: reference.regex = extensionValue["valueString"]?.stringValue
                default: break
                }
            }
            types.append(reference)
        }
        var binding: Binding?
        if let bindingJSON = json["binding"] {
            guard let text = bindingJSON["strength"]?.stringValue, let strength = Binding.Strength(rawValue: text)
            else {
                throw bad("binding.strength")
            }
            binding = Binding(strength: strength, valueSet: bindingJSON["valueSet"]?.stringValue)
        }
        var constraints: [Constraint] = []
        for constraint in json["constraint"]?.arrayValue ?? [] {
            if let index = constraint.intValue {
                guard sharedConstraints.indices.contains(index) else { throw bad("constraint \(index)") }
                constraints.append(sharedConstraints[index])
            } else {
                constraints.append(try Constraint(json: constraint, in: "StructureDefinition \(url), element \(id)"))
            }
        }
        var slicing: Slicing?
        if let slicingJSON = json["slicing"] {
            guard let text = slicingJSON["rules"]?.stringValue, let rules = Slicing.Rules(rawValue: text) else {
                throw bad("slicing.rules")
            }
            slicing = Slicing(
                discriminators: (slicingJSON["discriminator"]?.arrayValue ?? []).compactMap { discriminator in
                    guard let type = discriminator["type"]?.stringValue, let path = discriminator["path"]?.stringValue
                    else { return nil }
                    return Slicing.Discriminator(type: type, path: path)
                },
                rules: rules, ordered: slicingJSON["ordered"]?.boolValue ?? false)
        }
        var fixed: Value?
        var pattern: Value?
        var minValue: Value?
        var maxValue: Value?
        for (key, value) in json.objectMembers {
            if key.hasPrefix("fixed") {
                fixed = Value(typeName: Self.typeName(suffix: key.dropFirst(5)), json: value)
            } else if key.hasPrefix("pattern") {
                pattern = Value(typeName: Self.typeName(suffix: key.dropFirst(7)), json: value)
            } else if key.hasPrefix("minValue") {
                minValue = Value(typeName: Self.typeName(suffix: key.dropFirst(8)), json: value)
            } else if key.hasPrefix("maxValue") {
                maxValue = Value(typeName: Self.typeName(suffix: key.dropFirst(8)), json: value)
            }
        }
        var contentReference = json["contentReference"]?.stringValue
        if let reference = contentReference, let hash = reference.firstIndex(of: "#") {
            contentReference = String(reference[reference.index(after: hash)...])
        }
        self.init(
            id: id, path: path, sliceName: json["sliceName"]?.stringValue, min: json["min"]?.intValue ?? 0, max: max,
            types: types, contentReference: contentReference, fixed: fixed, pattern: pattern, minValue: minValue,
            maxValue: maxValue, maxLength: json["maxLength"]?.intValue, binding: binding, constraints: constraints,
            isModifier: json["isModifier"]?.boolValue ?? false, mustSupport: json["mustSupport"]?.boolValue ?? false,
            slicing: slicing, representation: (json["representation"]?.arrayValue ?? []).compactMap(\.stringValue))
    }

    /// The type a `[x]` suffix names: `CodeableConcept` stays, `Code` → `code` (primitives are
    /// lower-case in FHIR, their suffix capitalised).
    static func typeName(suffix: Substring) -> String {
        guard let first = suffix.first else { return String(suffix) }
        let lowered = first.lowercased() + suffix.dropFirst()
        return primitiveTypeNames.contains(lowered) ? lowered : String(suffix)
    }

    /// R4's primitive types (`kind = primitive-type`).
    static let primitiveTypeNames: Set<String> = [
        "base64Binary", "boolean", "canonical", "code", "date", "dateTime", "decimal", "id", "instant", "integer",
        "markdown", "oid", "positiveInt", "string", "time", "unsignedInt", "uri", "url", "uuid", "xhtml",
    ]
}

extension ElementDefinition.Constraint {
    init(json: JSONTree, in place: String) throws(FHIRPackageError) {
        guard let key = json["key"]?.stringValue else { throw FHIRPackageError("\(place): a constraint has no key") }
        guard let text = json["severity"]?.stringValue, let severity = Severity(rawValue: text) else {
            throw FHIRPackageError("\(place): constraint \(key) has no valid severity")
        }
        let bestPractice = json["extension"]?.arrayValue.contains { extensionJSON in
            extensionJSON["url"]?.stringValue == Self.bestPracticeExtension
                && extensionJSON["valueBoolean"]?.boolValue == true
        }
        self.init(
            key: key, severity: severity, human: json["human"]?.stringValue ?? "",
            expression: json["expression"]?.stringValue, source: json["source"]?.stringValue,
            isBestPractice: bestPractice ?? Self.baseR4BestPractice.contains(key))
    }

    /// The extension marking a best-practice constraint.
    static let bestPracticeExtension = "http://hl7.org/fhir/StructureDefinition/elementdefinition-bestpractice"

    /// The constraints base R4 marks as best practice. The committed base R4 index keeps no
    /// constraint extensions, so a constraint read without any is looked up here.
    static let baseR4BestPractice: Set<String> = ["dom-6", "con-3"]
}
