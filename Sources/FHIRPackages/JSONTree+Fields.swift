internal import FHIRJSON

/// Field access on parsed FHIR JSON, for reading definitions (small, trusted-shape resources
/// whose fields are looked up by name).
extension JSONTree {
    subscript(_ key: String) -> JSONTree? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    var intValue: Int? {
        if case .number(let lexeme) = self { return Int(lexeme) }
        return nil
    }

    /// The elements of an array; a single value as one element; nothing for absent.
    var arrayValue: [JSONTree] {
        if case .array(let elements) = self { return elements }
        return []
    }

    var objectMembers: [String: JSONTree] {
        if case .object(let members) = self { return members }
        return [:]
    }
}
