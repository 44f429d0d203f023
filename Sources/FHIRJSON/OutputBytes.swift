// One file, compiled into FHIRJSON and into FHIRXML (Sources/FHIRXML/OutputBytes.swift is a
// link to it), internal to each: the writers lose about 2% of their speed when the buffer sits in
// another module (measured with it `@inlinable` in FHIRCore), so each module has its own copy of
// the type, built from this one source.

/// A growable byte buffer for the fast writers: raw storage with inlinable appends, so writing
/// a byte costs a compare and a store.
///
/// The mutable state sits behind a pointer rather than in stored `var`s: Swift checks exclusive
/// access to a class's stored properties at run time on every write, which on this path would
/// cost more than the writing itself.
final class OutputBytes {
    struct State {
        var base: UnsafeMutablePointer<UInt8>
        var count: Int
        var capacity: Int
    }

    let state: UnsafeMutablePointer<State>

    init(capacity: Int = 4096) {
        state = .allocate(capacity: 1)
        state.initialize(to: State(base: .allocate(capacity: capacity), count: 0, capacity: capacity))
    }

    deinit {
        state.pointee.base.deallocate()
        state.deallocate()
    }

    /// The number of bytes written.
    var count: Int { state.pointee.count }

    /// The bytes it has room for before it grows.
    var capacity: Int { state.pointee.capacity }

    /// Forgets the bytes written, keeping the room (for a buffer used again).
    func removeAll() { state.pointee.count = 0 }

    /// The start of the bytes (valid until the next append).
    var base: UnsafeMutablePointer<UInt8> { state.pointee.base }

    /// Makes room for `extra` more bytes.
    @inline(__always) func reserve(_ extra: Int) {
        if state.pointee.count + extra > state.pointee.capacity { grow(minimum: state.pointee.count + extra) }
    }

    func grow(minimum: Int) {
        var newCapacity = state.pointee.capacity * 2
        while newCapacity < minimum { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: state.pointee.base, count: state.pointee.count)
        state.pointee.base.deallocate()
        state.pointee.base = newBase
        state.pointee.capacity = newCapacity
    }

    @inline(__always) func append(_ byte: UInt8) {
        if state.pointee.count == state.pointee.capacity { grow(minimum: state.pointee.count + 1) }
        state.pointee.base[state.pointee.count] = byte
        state.pointee.count += 1
    }

    /// Appends a literal or a name. Names (elements, attributes, keys) are a few bytes long and
    /// their length is known only at run time, where a `memmove` call costs more than the copy:
    /// up to 16 bytes are copied as two overlapping words, each read within the text.
    @inline(__always) func append(_ text: StaticString) {
        let count = text.utf8CodeUnitCount
        reserve(count)
        let source = UnsafeRawPointer(text.utf8Start)
        let target = UnsafeMutableRawPointer(state.pointee.base + state.pointee.count)
        switch count {
        case 8...16:
            target.storeBytes(of: source.loadUnaligned(as: UInt64.self), as: UInt64.self)
            target.storeBytes(
                of: source.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self),
                toByteOffset: count - 8, as: UInt64.self)
        case 4..<8:
            target.storeBytes(of: source.loadUnaligned(as: UInt32.self), as: UInt32.self)
            target.storeBytes(
                of: source.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self),
                toByteOffset: count - 4, as: UInt32.self)
        case 0..<4:
            for index in 0..<count {
                let byte = source.load(fromByteOffset: index, as: UInt8.self)
                target.storeBytes(of: byte, toByteOffset: index, as: UInt8.self)
            }
        default:
            target.copyMemory(from: source, byteCount: count)
        }
        state.pointee.count += count
    }

    @inline(__always) func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        reserve(bytes.count)
        (state.pointee.base + state.pointee.count).update(from: source, count: bytes.count)
        state.pointee.count += bytes.count
    }

    /// Appends a string's UTF-8 as it is (named apart from `append(_: StaticString)`, which
    /// string literals should reach).
    @inline(__always) func appendString(_ text: String) {
        if let done: Void = text.utf8.withContiguousStorageIfAvailable({ append($0) }) { return done }
        for byte in text.utf8 { append(byte) }
    }

    /// Appends the decimal digits of an integer.
    func append(_ number: Int32) {
        var value = Int64(number)
        if value < 0 {
            append(UInt8(ascii: "-"))
            value = -value
        }
        var digits: (UInt64, UInt64) = (0, 0)  // room for the 10 digits of 2147483648
        withUnsafeMutableBytes(of: &digits) { buffer in
            var used = 0
            repeat {
                buffer[15 - used] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
                used += 1
            } while value > 0
            append(
                UnsafeBufferPointer(
                    start: buffer.baseAddress!.assumingMemoryBound(to: UInt8.self) + 16 - used,
                    count: used))
        }
    }

    /// Drops everything after the first `length` bytes.
    func truncate(to length: Int) { state.pointee.count = length }

    /// The bytes written, as an array.
    var bytes: [UInt8] { Array(UnsafeBufferPointer(start: state.pointee.base, count: state.pointee.count)) }
}
