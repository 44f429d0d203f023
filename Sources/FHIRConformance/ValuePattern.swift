import ExactArithmetic
import FHIRElementModel
import FHIRJSON

/// Compares an element with a `fixed[x]` or `pattern[x]` value of its definition, given as the
/// value's FHIR JSON.
///
/// - A fixed value must be matched exactly: every element of the value, and nothing else.
/// - A pattern must be contained: every element it gives is there with that value (for a
///   repeating element, each item of the pattern matches some item of the element), and
///   other elements may be present.
///
/// Numbers compare by value (`1.0` matches `1`), as FHIR compares decimals; everything else by
/// its exact text.
enum ValuePattern {
    /// Whether `element` matches `value` (exactly for a fixed value, as a pattern otherwise).
    static func matches(_ value: JSONTree, _ element: FHIRElement, exactly: Bool) -> Bool {
        switch value {
        case .string(let text):
            return element.value == text
        case .number(let lexeme):
            guard let text = element.value else { return false }
            if text == lexeme { return true }
            guard let expected = ExactDecimal(lexeme), let actual = ExactDecimal(text) else { return false }
            return expected == actual
        case .bool(let flag):
            return element.value == (flag ? "true" : "false")
        case .null, .array:
            return false
        case .object(let members):
            return matches(members: members, element, exactly: exactly)
        }
    }

    private static func matches(members: [String: JSONTree], _ element: FHIRElement, exactly: Bool) -> Bool {
        var matchedNames: Set<String> = []
        for (key, expected) in members {
            if key == "resourceType" {
                guard case .string(let type) = expected, type == element.typeName else { return false }
                continue
            }
            // `_given` carries a primitive's id and extensions: compared on the primitive itself.
            let isPrimitiveSide = key.hasPrefix("_")
            let wireName = isPrimitiveSide ? String(key.dropFirst()) : key
            let items = element.children.filter { $0.wireName == wireName }
            matchedNames.insert(items.first?.name ?? wireName)
            let wanted: [JSONTree]
            if case .array(let array) = expected { wanted = array } else { wanted = [expected] }
            if isPrimitiveSide {
                for (index, side) in wanted.enumerated() where side != .null {
                    guard index < items.count, case .object(let sideMembers) = side,
                        matches(members: sideMembers, items[index], exactly: false)
                    else { return false }
                }
                continue
            }
            if exactly {
                guard items.count == wanted.count else { return false }
                for (item, value) in zip(items, wanted) where !matches(value, item, exactly: true) { return false }
            } else {
                for value in wanted where !items.contains(where: { matches(value, $0, exactly: false) }) { return false }
            }
        }
        if exactly {
            // A fixed value allows nothing it does not give (a primitive's value is no child).
            return element.children.allSatisfy { matchedNames.contains($0.name) }
        }
        return true
    }

    /// The value as short text for a message: `{"system":"http://loinc.org","code":"8310-5"}`.
    static func describe(_ value: JSONTree) -> String {
        switch value {
        case .string(let text): return "'\(text)'"
        case .number(let lexeme): return lexeme
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "null"
        case .array(let items): return "[" + items.map(describe).joined(separator: ", ") + "]"
        case .object(let members):
            let parts = members.sorted { $0.key < $1.key }.map { "\($0.key): \(describe($0.value))" }
            return "{" + parts.joined(separator: ", ") + "}"
        }
    }
}
