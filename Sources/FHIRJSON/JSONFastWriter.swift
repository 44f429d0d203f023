import FHIRCore

/// The fast path's writer: compact FHIR JSON straight into a byte array (see `FHIRFastWriter`).
///
/// It writes exactly what the Codable path writes (same key order, same escapes, decimals as
/// their text), and bails where that path would throw (an element with nothing in it).
final class JSONFastWriter: FHIRFastWriter {
    private(set) var bytes: [UInt8] = []
    /// One entry per open object or array: whether it is an array, and how many items it has.
    private var open: [(isArray: Bool, count: Int)] = []
    /// Set by a resource slot whose key is written: the resource's `{` follows directly.
    private var slotKeyWritten = false

    let isXML = false

    init() {
        bytes.reserveCapacity(4096)
        open.reserveCapacity(16)
    }

    /// Encodes a model, or returns nil when the fast path gives up.
    static func encode<T>(_ value: T) -> [UInt8]? {
        guard let fastType = T.self as? any FHIRFastCodable.Type else { return nil }
        func encode<F: FHIRFastCodable>(_ fast: F.Type) -> [UInt8]? {
            let model = unsafeBitCast(value, to: F.self)  // T is F, opened from the metatype
            let writer = JSONFastWriter()
            do {
                if F.self is any FHIRResource.Type || F.self == AnyResource.self {
                    try model.fhirFastWrite(to: writer)
                } else {
                    writer.beginObject("")
                    try model.fhirFastWrite(to: writer)
                    try writer.endObject("")
                }
            } catch {
                return nil
            }
            return writer.bytes
        }
        return encode(fastType)
    }

    // MARK: Layout

    @inline(__always) private func append(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// The comma before an item or member, counting it.
    @inline(__always) private func separate() {
        guard !open.isEmpty else { return }
        if open[open.count - 1].count > 0 { bytes.append(UInt8(ascii: ",")) }
        open[open.count - 1].count += 1
    }

    /// Starts a value: a member's `"name":` inside an object, a comma inside an array.
    @inline(__always) private func beginValue(_ name: StaticString) {
        separate()
        if let top = open.last, !top.isArray {
            bytes.append(UInt8(ascii: "\""))
            append(name)
            bytes.append(UInt8(ascii: "\""))
            bytes.append(UInt8(ascii: ":"))
        }
    }

    @inline(__always) private func scalar(_ value: FHIRFastScalar) {
        switch value {
        case .string(let text): JSONEscapes.appendQuoted(text, to: &bytes)
        case .decimal(let text): bytes.append(contentsOf: text.utf8)
        case .bool(let flag): flag ? append("true") : append("false")
        case .integer(let number): bytes.append(contentsOf: String(number).utf8)
        }
    }

    // MARK: FHIRFastWriter

    func beginResource(_ type: StaticString) throws(FHIRFastBail) {
        if slotKeyWritten {
            slotKeyWritten = false
        } else {
            separate()
        }
        append("{\"resourceType\":\"")
        append(type)
        bytes.append(UInt8(ascii: "\""))
        open.append((false, 1))
    }

    func endResource(_ type: StaticString) throws(FHIRFastBail) {
        bytes.append(UInt8(ascii: "}"))
        open.removeLast()
    }

    func beginResourceSlot(_ name: StaticString) {
        guard let top = open.last, !top.isArray else { return }
        beginValue(name)
        slotKeyWritten = true
    }

    func endResourceSlot(_ name: StaticString) throws(FHIRFastBail) {}

    func beginObject(_ name: StaticString) {
        beginValue(name)
        bytes.append(UInt8(ascii: "{"))
        open.append((false, 0))
    }

    func endObject(_ name: StaticString) throws(FHIRFastBail) {
        guard open[open.count - 1].count > 0 else { throw FHIRFastBail() }  // FHIR JSON has no {}
        bytes.append(UInt8(ascii: "}"))
        open.removeLast()
    }

    func beginArray(_ name: StaticString) {
        beginValue(name)
        bytes.append(UInt8(ascii: "["))
        open.append((true, 0))
    }

    func endArray(_ name: StaticString) {
        bytes.append(UInt8(ascii: "]"))
        open.removeLast()
    }

    func plainString(_ name: StaticString, _ value: String) throws(FHIRFastBail) {
        beginValue(name)
        JSONEscapes.appendQuoted(value, to: &bytes)
    }

    func primitive(_ name: StaticString, _ metadataName: StaticString, _ value: FHIRFastScalar?,
                   id: String?, extension: [Extension]) throws(FHIRFastBail) {
        if let value {
            beginValue(name)
            scalar(value)
        }
        if id != nil || !`extension`.isEmpty {
            beginObject(metadataName)
            try FHIRFast.writeMetadata(self, id: id, extension: `extension`)
            try endObject(metadataName)
        }
    }

    func arrayItem(_ value: FHIRFastScalar?) throws(FHIRFastBail) {
        separate()
        if let value { scalar(value) } else { append("null") }
    }

    func arrayNull() {
        separate()
        append("null")
    }

    func xhtml(_ name: StaticString, _ text: String) throws(FHIRFastBail) {
        beginValue(name)
        JSONEscapes.appendQuoted(text, to: &bytes)
    }
}
