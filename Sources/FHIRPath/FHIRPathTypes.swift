import FHIRElementModel

/// FHIR's and FHIRPath's type hierarchy, for `is`, `as` and `ofType`.
///
/// The loaded definitions' `baseType` chain is used when the environment has them; otherwise a
/// built-in R4 hierarchy (primitives' specializations, the Quantity profiles, resources).
enum FHIRPathTypes {
    /// FHIR types whose values FHIRPath treats as a System Quantity.
    static let quantityTypes: Set<String> = [
        "Quantity", "Age", "Distance", "Duration", "Count", "SimpleQuantity", "MoneyQuantity",
    ]

    /// The built-in base types of R4 (used without definitions).
    static let builtInBase: [String: String] = [
        "code": "string", "id": "string", "markdown": "string", "url": "uri", "canonical": "uri", "oid": "uri",
        "uuid": "uri", "positiveInt": "integer", "unsignedInt": "integer", "Age": "Quantity", "Distance": "Quantity",
        "Duration": "Quantity", "Count": "Quantity", "SimpleQuantity": "Quantity", "MoneyQuantity": "Quantity",
        "DomainResource": "Resource", "Bundle": "Resource", "Binary": "Resource", "Parameters": "Resource",
        "BackboneElement": "Element", "Resource": "Base", "Element": "Base",
    ]

    /// R4's primitive type codes.
    static let primitives: Set<String> = [
        "boolean", "integer", "string", "decimal", "uri", "url", "canonical", "base64Binary", "instant", "date",
        "dateTime", "time", "code", "oid", "id", "markdown", "unsignedInt", "positiveInt", "uuid", "xhtml",
    ]

    /// The System types FHIRPath defines.
    static let systemTypes: Set<String> = [
        "Boolean", "Integer", "Long", "Decimal", "String", "Date", "DateTime", "Time", "Quantity",
    ]

    /// Whether a type name names a type at all (System, or FHIR in the definitions or built in).
    static func isKnown(_ type: FHIRPathTypeSpecifier, layouts: (any FHIRTypeLayouts)?) -> Bool {
        if type.namespace != "FHIR", systemTypes.contains(type.name) { return true }
        if type.namespace == "System" { return false }
        if primitives.contains(type.name) || builtInBase[type.name] != nil { return true }
        guard let layouts else { return true }
        return layouts.layout(ofType: type.name) != nil
    }

    /// The base type of a FHIR type.
    static func base(of typeName: String, kind: FHIRElement.Kind?, layouts: (any FHIRTypeLayouts)?) -> String? {
        if let layouts, let layout = layouts.layout(ofType: typeName) {
            return layout.baseType
                ?? (typeName == "Base" ? nil : (typeName == "Resource" || typeName == "Element" ? "Base" : nil))
        }
        if let base = builtInBase[typeName] { return base }
        switch kind {
        case .resource: return "DomainResource"
        case .primitive, .complex, .backbone: return typeName == "Element" ? "Base" : "Element"
        case nil:
            if primitives.contains(typeName) { return "Element" }
            return nil
        }
    }

    /// The items of `input` that are of `type` as `as()` and `ofType()` take it (a primitive only
    /// as its own type). For a FHIR primitive type, an element is one exactly when it is a
    /// primitive of that name, decided without the type hierarchy: dom-3 asks it of every
    /// element of a resource (`%resource.descendants().as(canonical)`).
    static func filter(
        _ input: [FHIRPathValue], ofType type: FHIRPathTypeSpecifier, layouts: (any FHIRTypeLayouts)?
    ) -> [FHIRPathValue] {
        guard type.namespace != "System", primitives.contains(type.name) else {
            return input.filter { matches($0, type, layouts: layouts, exactPrimitive: true) }
        }
        // By index, so an item that is not kept is only looked at, never copied.
        var result: [FHIRPathValue] = []
        for index in input.indices {
            let isOfType: Bool
            if case .element(let element) = input[index] {
                isOfType = element.kind == .primitive && element.typeName == type.name
            } else {
                isOfType = matches(input[index], type, layouts: layouts, exactPrimitive: true)
            }
            if isOfType { result.append(input[index]) }
        }
        return result
    }

    /// Whether an item is of type `type` or one derived from it.
    static func matches(
        _ value: FHIRPathValue, _ type: FHIRPathTypeSpecifier, layouts: (any FHIRTypeLayouts)?,
        exactPrimitive: Bool = false
    ) -> Bool {
        let (namespace, name) = value.typeSpecifier
        if namespace == "System" {
            if type.namespace == "FHIR" { return false }
            if type.name == name { return true }
            return false
        }
        if type.namespace == "System" { return false }
        guard case .element(let element) = value else { return false }
        // `as` and `ofType` take a primitive only as its own type: `gender.as(string)` is empty
        // for a code, while `gender.is(string)` is true (the R4 suite's reading of N1).
        if exactPrimitive, element.kind == .primitive { return element.typeName == type.name }
        // Only a primitive is of a primitive type: `descendants().as(canonical)` (dom-3) asks it
        // of every element of a resource, and needs no walk up the type hierarchy for that.
        if element.kind != .primitive, primitives.contains(type.name) { return false }
        var current: String? = element.typeName
        var kind: FHIRElement.Kind? = element.kind
        var steps = 0
        while let typeName = current, steps < 32 {
            if typeName == type.name { return true }
            current = base(of: typeName, kind: kind, layouts: layouts)
            kind = nil
            steps += 1
        }
        return false
    }
}
