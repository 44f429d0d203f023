import FHIRCore

/// The fast path's writer: compact FHIR JSON straight into a byte array (see `FHIRFastWriter`).
///
/// It writes exactly what the Codable path writes (same key order, same escapes, decimals as
/// their text), and bails where that path would throw (an element with nothing in it).
final class JSONFastWriter: FHIRFastWriter {
    // The stored `var`s marked `@exclusivity(unchecked)` are this object's hot state: one decode
    // or encode owns it on one thread, so Swift's run-time check of exclusive access (a call on
    // every write) is turned off for them.

    private let out = OutputBytes()
    /// Per open object or array (innermost last, at most ``maxDepth``): whether it is an array,
    /// and how many items it has so far.
    private let isArray: UnsafeMutablePointer<Bool>
    private let counts: UnsafeMutablePointer<Int>
    @exclusivity(unchecked) private var depth = 0
    private static let maxDepth = 128
    /// Set by a resource slot whose key is written: the resource's `{` follows directly.
    @exclusivity(unchecked) private var slotKeyWritten = false

    let isXML = false

    init() {
        isArray = .allocate(capacity: Self.maxDepth)
        counts = .allocate(capacity: Self.maxDepth)
    }

    deinit {
        isArray.deallocate()
        counts.deallocate()
    }

    var bytes: [UInt8] { out.bytes }

    /// Encodes a model, or returns nil when the fast path gives up.
    static func encode<T>(_ value: T) -> [UInt8]? {
        guard let fastType = T.self as? any FHIRFastCodable.Type else { return nil }
        func encode<F: FHIRFastCodable>(_ fast: F.Type) -> [UInt8]? {
            write(unsafeBitCast(value, to: F.self), isResource: F.self is any FHIRResource.Type)  // T is F
        }
        if T.self == AnyResource.self { return write(unsafeBitCast(value, to: AnyResource.self), isResource: true) }
        return encode(fastType)
    }

    /// One writer is kept per thread and used again (see `PerThreadSpare`).
    private static let spare = PerThreadSpare<JSONFastWriter>()

    private static func write(_ model: some FHIRFastCodable, isResource: Bool) -> [UInt8]? {
        let writer = spare.take() ?? JSONFastWriter()
        defer { spare.give(writer, holding: writer.out.capacity) }
        writer.out.removeAll()
        writer.depth = 0
        writer.slotKeyWritten = false
        do {
            if isResource {
                try model.fhirFastWrite(to: writer)
            } else {
                try writer.beginObject("")
                try model.fhirFastWrite(to: writer)
                try writer.endObject("")
            }
        } catch {
            return nil
        }
        return writer.bytes
    }

    // MARK: Layout

    @inline(__always) private func push(array: Bool, count: Int) throws(FHIRFastBail) {
        guard depth < Self.maxDepth else { throw FHIRFastBail() }
        isArray[depth] = array
        counts[depth] = count
        depth += 1
    }

    /// The comma before an item or member, counting it.
    @inline(__always) private func separate() {
        guard depth > 0 else { return }
        if counts[depth - 1] > 0 { out.append(UInt8(ascii: ",")) }
        counts[depth - 1] += 1
    }

    /// Starts a value: a member's `"name":` inside an object, a comma inside an array.
    @inline(__always) private func beginValue(_ name: StaticString) {
        separate()
        if depth > 0 && !isArray[depth - 1] {
            out.append(UInt8(ascii: "\""))
            out.append(name)
            out.append(UInt8(ascii: "\""))
            out.append(UInt8(ascii: ":"))
        }
    }

    @inline(__always) private func scalar(_ value: FHIRFastScalar) {
        switch value {
        case .string(let text): JSONEscapes.appendQuoted(text, to: out)
        case .decimal(let text): out.appendString(text)
        case .bool(let flag): flag ? out.append("true") : out.append("false")
        case .integer(let number): out.append(number)
        }
    }

    // MARK: FHIRFastWriter

    func beginResource(_ type: StaticString) throws(FHIRFastBail) {
        if slotKeyWritten {
            slotKeyWritten = false
        } else {
            separate()
        }
        out.append("{\"resourceType\":\"")
        out.append(type)
        out.append(UInt8(ascii: "\""))
        try push(array: false, count: 1)
    }

    func endResource(_ type: StaticString) throws(FHIRFastBail) {
        out.append(UInt8(ascii: "}"))
        depth -= 1
    }

    func beginResourceSlot(_ name: StaticString) throws(FHIRFastBail) {
        guard depth > 0 && !isArray[depth - 1] else { return }
        beginValue(name)
        slotKeyWritten = true
    }

    func endResourceSlot(_ name: StaticString) throws(FHIRFastBail) {}

    func beginObject(_ name: StaticString) throws(FHIRFastBail) {
        beginValue(name)
        out.append(UInt8(ascii: "{"))
        try push(array: false, count: 0)
    }

    func endObject(_ name: StaticString) throws(FHIRFastBail) {
        guard counts[depth - 1] > 0 else { throw FHIRFastBail() }  // FHIR JSON has no {}
        out.append(UInt8(ascii: "}"))
        depth -= 1
    }

    func beginArray(_ name: StaticString) throws(FHIRFastBail) {
        beginValue(name)
        out.append(UInt8(ascii: "["))
        try push(array: true, count: 0)
    }

    func endArray(_ name: StaticString) {
        out.append(UInt8(ascii: "]"))
        depth -= 1
    }

    func plainString(_ name: StaticString, _ value: String) throws(FHIRFastBail) {
        beginValue(name)
        JSONEscapes.appendQuoted(value, to: out)
    }

    func primitive(
        _ name: StaticString, _ metadataName: StaticString, _ value: FHIRFastScalar?,
        id: String?, extension: [Extension]
    ) throws(FHIRFastBail) {
        if let value {
            beginValue(name)
            scalar(value)
        }
        if id != nil || !`extension`.isEmpty {
            try beginObject(metadataName)
            try FHIRFast.writeMetadata(self, id: id, extension: `extension`)
            try endObject(metadataName)
        }
    }

    func arrayItem(_ value: FHIRFastScalar?) throws(FHIRFastBail) {
        separate()
        if let value { scalar(value) } else { out.append("null") }
    }

    func arrayNull() {
        separate()
        out.append("null")
    }

    func xhtml(_ name: StaticString, _ text: String) throws(FHIRFastBail) {
        beginValue(name)
        JSONEscapes.appendQuoted(text, to: out)
    }
}
