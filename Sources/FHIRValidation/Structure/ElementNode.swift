/// A FHIR resource as a plain tree in JSON's shape (objects, arrays, primitive values), made
/// from the typed model by ``ElementTreeEncoder``, so that the structure rules can be driven
/// generically by `FHIRDefinitions` instead of being written out per type.
///
/// Keys are FHIR JSON names: `valueQuantity` for a choice, `_status` for a primitive's id and
/// extensions.
indirect enum ElementNode: Sendable {
    case object([(key: String, value: ElementNode)])
    case array([ElementNode])
    case string(String)
    /// A decimal's exact text.
    case decimal(String)
    case integer(Int64)
    case boolean(Bool)
    /// A hole in a primitive array (`"given": ["A", null]` when only `_given[1]` has content).
    case null

    /// The value under `key` in an object.
    subscript(key: String) -> ElementNode? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The members of an object, or none.
    var members: [(key: String, value: ElementNode)] {
        if case .object(let members) = self { return members }
        return []
    }

    /// The elements of an array; a single value counts as an array of one.
    var items: [ElementNode] {
        switch self {
        case .array(let elements): return elements
        case .null: return []
        default: return [self]
        }
    }

    /// The text of a primitive value (strings, decimals, integers and booleans as written).
    var text: String? {
        switch self {
        case .string(let text), .decimal(let text): return text
        case .integer(let value): return String(value)
        case .boolean(let value): return value ? "true" : "false"
        default: return nil
        }
    }

    /// Whether an element with this name is present in an object, as a value or as `_name`.
    func has(_ key: String) -> Bool { self[key] != nil || self["_" + key] != nil }

    /// Whether any key of a choice element (`value` → `valueQuantity`, `valueString`, …) is present.
    func hasChoice(_ base: String) -> Bool {
        members.contains { member in
            let key = member.key.hasPrefix("_") ? Substring(member.key.dropFirst()) : Substring(member.key)
            guard key.hasPrefix(base), key.count > base.count else { return false }
            return key[key.index(key.startIndex, offsetBy: base.count)].isUppercase
        }
    }
}
