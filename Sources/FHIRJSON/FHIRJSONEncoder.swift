public import FHIRCore

/// Encodes the models as FHIR JSON: UTF-8, keys in specification order, decimals as written,
/// compact by default or pretty-printed for people.
///
/// ```swift
/// let bytes = try FHIRJSONEncoder(pretty: true).encode(resource)
/// ```
/// Only `"`, `\` and control characters are escaped in strings; `/` and non-ASCII are written
/// as they are.
public struct FHIRJSONEncoder: Sendable {
    /// Newlines and two-space indentation, with `"key": value`.
    public var pretty: Bool

    /// Whether to try the generated fast path first (tests turn it off to compare the two paths).
    var useFastPath = true

    /// Creates an encoder.
    /// - Parameter pretty: indent the output for people (default: compact).
    public init(pretty: Bool = false) {
        self.pretty = pretty
    }

    /// One entry of a compact collection Bundle holding `resource`, `{"resource":{…}}`, byte for
    /// byte as it sits inside the Bundle's `entry` array written by ``encode(_:)``. Nil when the
    /// encoder is pretty or the fast path gives up: then encode the Bundle and cut the entry out,
    /// which also reports why a resource cannot be written.
    ///
    /// For writing a Bundle entry by entry without building one around each resource.
    public func encodeBundleEntry(_ resource: AnyResource) -> [UInt8]? {
        guard useFastPath, !pretty else { return nil }
        return JSONFastWriter.encode(Bundle.Entry(resource: resource))
    }

    /// Encodes a value (a resource, `AnyResource` or any model) to JSON bytes.
    /// - Throws: ``FHIRDiagnostic`` when a value has nothing to write where FHIR JSON
    ///   needs something (an element with no content would be an empty object).
    public func encode<T: Encodable>(_ value: T) throws(FHIRDiagnostic) -> [UInt8] {
        if useFastPath, !pretty, let bytes = JSONFastWriter.encode(value) { return bytes }
        let output = JSONOutput(pretty: pretty)
        let encoder = JSONStreamEncoder(output: output, depth: 0, pathNode: .root)
        do {
            try value.encode(to: encoder)
            try encoder.finish()
        } catch let error as FHIRDiagnostic {
            throw error
        } catch let EncodingError.invalidValue(_, context) {
            var builder = FHIRPathBuilder(root: Self.resourceType(of: value) ?? "")
            for key in context.codingPath { builder.append(key) }
            throw FHIRDiagnostic(code: .invalidValue, message: context.debugDescription, fhirPath: builder.expression)
        } catch {
            throw FHIRDiagnostic(code: .invalidValue, message: "\(error)")
        }
        if pretty { output.bytes.append(UInt8(ascii: "\n")) }
        return output.bytes
    }

    /// The resource type that roots an error's FHIRPath, when the value is a resource.
    private static func resourceType(of value: some Encodable) -> String? {
        if let resource = value as? AnyResource { return resource.resourceType }
        return (type(of: value) as? any FHIRResource.Type)?.resourceType
    }
}

/// The growing output and the layout rules shared by every container of one encode.
final class JSONOutput {
    var bytes: [UInt8] = []
    let pretty: Bool

    init(pretty: Bool) {
        self.pretty = pretty
        bytes.reserveCapacity(4096)
    }

    /// Starts a member or element: a comma after the first, then a newline and indent if pretty.
    func beginItem(first: Bool, depth: Int) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        newline(depth: depth)
    }

    func newline(depth: Int) {
        guard pretty else { return }
        bytes.append(UInt8(ascii: "\n"))
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: depth * 2))
    }

    func key(_ name: String) {
        JSONEscapes.appendQuoted(name, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        if pretty { bytes.append(UInt8(ascii: " ")) }
    }
}

/// An `Encoder` that writes straight into the output as the models encode, in the order they
/// encode (specification order); nothing is built in between.
final class JSONStreamEncoder: Encoder {
    enum State { case empty, object(members: Int), array(elements: Int), scalar }

    let output: JSONOutput
    let depth: Int
    let pathNode: CodingPathNode
    var state: State = .empty

    init(output: JSONOutput, depth: Int, pathNode: CodingPathNode) {
        self.output = output
        self.depth = depth
        self.pathNode = pathNode
    }

    var codingPath: [any CodingKey] { pathNode.path }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .empty = state {
            output.bytes.append(UInt8(ascii: "{"))
            state = .object(members: 0)
        }
        return KeyedEncodingContainer(JSONKeyedEncodingContainer<Key>(encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .empty = state {
            output.bytes.append(UInt8(ascii: "["))
            state = .array(elements: 0)
        }
        return JSONUnkeyedEncodingContainer(encoder: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { JSONSingleValueEncodingContainer(encoder: self) }

    /// Closes what this encoder opened. FHIR JSON has no empty objects or arrays, and a value
    /// that wrote nothing at all has no JSON form; both are errors naming the element.
    func finish() throws {
        switch state {
        case .empty:
            throw EncodingError.invalidValue(
                (),
                EncodingError.Context(
                    codingPath: codingPath, debugDescription: "the element has no content to write"))
        case .object(let members):
            guard members > 0 else {
                throw EncodingError.invalidValue(
                    (),
                    EncodingError.Context(
                        codingPath: codingPath, debugDescription: "the element has no content: FHIR JSON forbids {}"))
            }
            output.newline(depth: depth)
            output.bytes.append(UInt8(ascii: "}"))
        case .array(let elements):
            guard elements > 0 else {
                throw EncodingError.invalidValue(
                    (),
                    EncodingError.Context(
                        codingPath: codingPath, debugDescription: "the array is empty: FHIR JSON forbids []"))
            }
            output.newline(depth: depth)
            output.bytes.append(UInt8(ascii: "]"))
        case .scalar:
            break
        }
    }

    /// Writes `value` as the next item, through a child encoder one level deeper.
    func encodeChild<T: Encodable>(_ value: T, key: any CodingKey) throws {
        switch value {
        case let string as String: JSONEscapes.appendQuoted(string, to: &output.bytes)
        case let bool as Bool: output.bytes.append(contentsOf: (bool ? "true" : "false").utf8)
        case let integer as Int32: output.bytes.append(contentsOf: String(integer).utf8)
        default:
            let child = JSONStreamEncoder(output: output, depth: depth + 1, pathNode: pathNode.appending(key))
            try value.encode(to: child)
            try child.finish()
        }
    }
}

struct JSONKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: JSONStreamEncoder

    var codingPath: [any CodingKey] { encoder.codingPath }

    private func beginMember(_ key: Key) {
        guard case .object(let members) = encoder.state else {
            preconditionFailure("keyed container outside an object")
        }
        encoder.output.beginItem(first: members == 0, depth: encoder.depth + 1)
        encoder.output.key(key.stringValue)
        encoder.state = .object(members: members + 1)
    }

    mutating func encodeNil(forKey key: Key) throws {
        beginMember(key)
        encoder.output.bytes.append(contentsOf: "null".utf8)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        beginMember(key)
        try encoder.encodeChild(value, key: key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        preconditionFailure("FHIR models encode nested values through encode(_:forKey:)")
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        preconditionFailure("FHIR models encode nested values through encode(_:forKey:)")
    }

    mutating func superEncoder() -> any Encoder { preconditionFailure("FHIR models do not use superEncoder") }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        preconditionFailure("FHIR models do not use superEncoder")
    }
}

struct JSONUnkeyedEncodingContainer: UnkeyedEncodingContainer {
    let encoder: JSONStreamEncoder

    var codingPath: [any CodingKey] { encoder.codingPath }

    var count: Int {
        if case .array(let elements) = encoder.state { return elements }
        return 0
    }

    private func beginElement() -> Int {
        guard case .array(let elements) = encoder.state else {
            preconditionFailure("unkeyed container outside an array")
        }
        encoder.output.beginItem(first: elements == 0, depth: encoder.depth + 1)
        encoder.state = .array(elements: elements + 1)
        return elements
    }

    mutating func encodeNil() throws {
        _ = beginElement()
        encoder.output.bytes.append(contentsOf: "null".utf8)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let index = beginElement()
        try encoder.encodeChild(value, key: FHIRCodingKey.index(index))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<
        NestedKey
    > {
        preconditionFailure("FHIR models encode nested values through encode(_:)")
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        preconditionFailure("FHIR models encode nested values through encode(_:)")
    }

    mutating func superEncoder() -> any Encoder { preconditionFailure("FHIR models do not use superEncoder") }
}

struct JSONSingleValueEncodingContainer: FHIRSingleValueEncodingContainer {
    let encoder: JSONStreamEncoder

    var codingPath: [any CodingKey] { encoder.codingPath }

    private func write(_ text: String) {
        encoder.state = .scalar
        encoder.output.bytes.append(contentsOf: text.utf8)
    }

    mutating func encodeNil() throws { write("null") }
    mutating func encode(_ value: Bool) throws { write(value ? "true" : "false") }

    mutating func encode(_ value: String) throws {
        encoder.state = .scalar
        JSONEscapes.appendQuoted(value, to: &encoder.output.bytes)
    }

    mutating func encode(_ value: Double) throws { write("\(value)") }
    mutating func encode(_ value: Float) throws { write("\(value)") }
    mutating func encode(_ value: Int) throws { write(String(value)) }
    mutating func encode(_ value: Int8) throws { write(String(value)) }
    mutating func encode(_ value: Int16) throws { write(String(value)) }
    mutating func encode(_ value: Int32) throws { write(String(value)) }
    mutating func encode(_ value: Int64) throws { write(String(value)) }
    mutating func encode(_ value: UInt) throws { write(String(value)) }
    mutating func encode(_ value: UInt8) throws { write(String(value)) }
    mutating func encode(_ value: UInt16) throws { write(String(value)) }
    mutating func encode(_ value: UInt32) throws { write(String(value)) }
    mutating func encode(_ value: UInt64) throws { write(String(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws { try value.encode(to: encoder) }

    mutating func encodeDecimalText(_ text: String) throws { write(text) }
    mutating func encodeXHTML(_ xhtml: String) throws { try encode(xhtml) }
}
