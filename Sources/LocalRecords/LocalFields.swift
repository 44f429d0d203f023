internal import FHIRCore
internal import FHIRJSON

/// Reads the fields of one local JSON object by name and type, remembering which it used so
/// that any field left over can be reported as unknown.
///
/// Every error names the field by its full path (`rate_steps[1].rate`) and the value found.
struct LocalFields {
    private let members: [String: JSONTree]
    /// The path of this object inside the record, with a trailing dot (`rate_steps[0].`), or empty.
    private let prefix: String
    private var used: Set<String> = []

    init(_ members: [String: JSONTree], prefix: String = "") {
        self.members = members
        self.prefix = prefix
    }

    /// Fails on the first field the schema does not define (it would be lost on the way to FHIR).
    func rejectUnknownFields() throws(LocalRecordError) {
        for key in members.keys.sorted() where !used.contains(key) {
            throw LocalRecordError(
                .unknownField, "the local schema (version 1) has no such field; it would be lost in FHIR",
                field: prefix + key, value: LocalJSONText.brief(members[key]!))
        }
    }

    // MARK: Strings

    mutating func string(_ key: String) throws(LocalRecordError) -> String {
        guard let value = try optionalString(key) else { throw missing(key, "a string") }
        return value
    }

    mutating func optionalString(_ key: String) throws(LocalRecordError) -> String? {
        guard let tree = try present(key) else { return nil }
        guard case .string(let text) = tree else { throw wrongType(key, tree, expected: "a string") }
        guard !text.isEmpty else { throw empty(key, tree) }
        return text
    }

    /// A date-time in FHIR's form (`2026-03-02T08:00:00+01:00`; a date alone is allowed).
    mutating func dateTime(_ key: String) throws(LocalRecordError) -> String {
        guard let value = try optionalDateTime(key) else { throw missing(key, "a date-time") }
        return value
    }

    mutating func optionalDateTime(_ key: String) throws(LocalRecordError) -> String? {
        guard let text = try optionalString(key) else { return nil }
        guard FHIRDateTime.parse(text) != nil else {
            throw LocalRecordError(
                .invalidValue,
                "expected a date-time such as 2026-03-02T08:00:00+01:00 (\(FHIRDateTime.expectedFormat))",
                field: prefix + key, value: LocalJSONText.quoted(text))
        }
        return text
    }

    mutating func optionalStringArray(_ key: String) throws(LocalRecordError) -> [String] {
        guard let tree = try present(key) else { return [] }
        guard case .array(let elements) = tree else { throw wrongType(key, tree, expected: "an array of strings") }
        guard !elements.isEmpty else { throw empty(key, tree) }
        var result: [String] = []
        for (index, element) in elements.enumerated() {
            let path = "\(key)[\(index)]"
            guard case .string(let text) = element else { throw wrongType(path, element, expected: "a string") }
            guard !text.isEmpty else { throw empty(path, element) }
            result.append(text)
        }
        return result
    }

    // MARK: Numbers and booleans

    /// A whole number of at least 1, written without a fraction or exponent.
    mutating func positiveInteger(_ key: String) throws(LocalRecordError) -> Int {
        guard let tree = try present(key) else { throw missing(key, "a whole number") }
        guard case .number(let lexeme) = tree else { throw wrongType(key, tree, expected: "a whole number") }
        guard lexeme.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let value = Int32(lexeme).map(Int.init), value >= 1
        else {
            throw LocalRecordError(
                .invalidValue, "expected a whole number of at least 1, written without a fraction",
                field: prefix + key, value: lexeme)
        }
        return value
    }

    mutating func bool(_ key: String) throws(LocalRecordError) -> Bool {
        guard let value = try optionalBool(key) else { throw missing(key, "true or false") }
        return value
    }

    mutating func optionalBool(_ key: String) throws(LocalRecordError) -> Bool? {
        guard let tree = try present(key) else { return nil }
        guard case .bool(let value) = tree else { throw wrongType(key, tree, expected: "true or false") }
        return value
    }

    // MARK: Quantities and nested objects

    /// A quantity object: `{"value": 154, "unit": "lbs"}` (`unit` may be absent).
    mutating func quantity(_ key: String) throws(LocalRecordError) -> LocalQuantity {
        guard let value = try optionalQuantity(key) else {
            throw missing(key, #"a quantity such as {"value": 2, "unit": "g/kg"}"#)
        }
        return value
    }

    mutating func optionalQuantity(_ key: String) throws(LocalRecordError) -> LocalQuantity? {
        guard let tree = try present(key) else { return nil }
        guard case .object(let members) = tree else {
            throw wrongType(key, tree, expected: #"a quantity object such as {"value": 2, "unit": "g/kg"}"#)
        }
        var fields = LocalFields(members, prefix: prefix + key + ".")
        guard let number = try fields.present("value") else { throw fields.missing("value", "a number") }
        guard case .number(let lexeme) = number else { throw fields.wrongType("value", number, expected: "a number") }
        let decimal: FHIRDecimal
        do { decimal = try FHIRDecimal(lexeme) } catch {
            throw LocalRecordError(.invalidValue, "not a decimal number", field: prefix + key + ".value", value: lexeme)
        }
        let unit = try fields.optionalString("unit")
        try fields.rejectUnknownFields()
        return LocalQuantity(value: decimal, unit: unit)
    }

    /// An array of objects, each read by `read` with its own field reader (unknown fields checked).
    mutating func optionalObjectArray<T>(
        _ key: String, _ read: (inout LocalFields) throws(LocalRecordError) -> T
    ) throws(LocalRecordError) -> [T] {
        guard let tree = try present(key) else { return [] }
        guard case .array(let elements) = tree else { throw wrongType(key, tree, expected: "an array of objects") }
        guard !elements.isEmpty else { throw empty(key, tree) }
        var result: [T] = []
        for (index, element) in elements.enumerated() {
            let path = "\(key)[\(index)]"
            guard case .object(let members) = element else { throw wrongType(path, element, expected: "an object") }
            var fields = LocalFields(members, prefix: prefix + path + ".")
            result.append(try read(&fields))
            try fields.rejectUnknownFields()
        }
        return result
    }

    // MARK: Errors

    /// The field's value, or `nil` when absent; `null` is refused (leave the field out instead).
    private mutating func present(_ key: String) throws(LocalRecordError) -> JSONTree? {
        guard let tree = members[key] else { return nil }
        used.insert(key)
        if case .null = tree {
            throw LocalRecordError(
                .wrongType, "null is not a value; leave the field out when there is none",
                field: prefix + key, value: "null")
        }
        return tree
    }

    private func missing(_ key: String, _ expected: String) -> LocalRecordError {
        LocalRecordError(.missingField, "required field is missing (expected \(expected))", field: prefix + key)
    }

    private func wrongType(_ key: String, _ tree: JSONTree, expected: String) -> LocalRecordError {
        LocalRecordError(
            .wrongType, "expected \(expected), found \(Self.typeName(tree))",
            field: prefix + key, value: LocalJSONText.brief(tree))
    }

    private func empty(_ key: String, _ tree: JSONTree) -> LocalRecordError {
        LocalRecordError(
            .invalidValue, "an empty value; leave the field out when there is none",
            field: prefix + key, value: LocalJSONText.brief(tree))
    }

    static func typeName(_ tree: JSONTree) -> String {
        switch tree {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        }
    }
}
