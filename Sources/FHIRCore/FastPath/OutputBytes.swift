// Shared by the fast writers and readers of FHIRJSON and FHIRXML. Its appends are `@inlinable`
// so that they inline into those modules' writers, which a plain call across a module boundary
// does not.

/// A growable byte buffer for the fast writers: raw storage with inlinable appends, so writing
/// a byte costs a compare and a store.
///
/// The mutable state sits behind a pointer rather than in stored `var`s: Swift checks exclusive
/// access to a class's stored properties at run time on every write, which on this path would
/// cost more than the writing itself.
package final class OutputBytes {
    package struct State {
        package var base: UnsafeMutablePointer<UInt8>
        package var count: Int
        package var capacity: Int

        @inlinable package init(base: UnsafeMutablePointer<UInt8>, count: Int, capacity: Int) {
            self.base = base
            self.count = count
            self.capacity = capacity
        }
    }

    package let state: UnsafeMutablePointer<State>

    package init(capacity: Int = 4096) {
        state = .allocate(capacity: 1)
        state.initialize(to: State(base: .allocate(capacity: capacity), count: 0, capacity: capacity))
    }

    deinit {
        state.pointee.base.deallocate()
        state.deallocate()
    }

    /// The number of bytes written.
    @inlinable package var count: Int { state.pointee.count }

    /// The bytes it has room for before it grows.
    @inlinable package var capacity: Int { state.pointee.capacity }

    /// Forgets the bytes written, keeping the room (for a buffer used again).
    @inlinable package func removeAll() { state.pointee.count = 0 }

    /// The start of the bytes (valid until the next append).
    @inlinable package var base: UnsafeMutablePointer<UInt8> { state.pointee.base }

    /// Makes room for `extra` more bytes.
    @inlinable @inline(__always) package func reserve(_ extra: Int) {
        if state.pointee.count + extra > state.pointee.capacity { grow(minimum: state.pointee.count + extra) }
    }

    @usableFromInline package func grow(minimum: Int) {
        var newCapacity = state.pointee.capacity * 2
        while newCapacity < minimum { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: state.pointee.base, count: state.pointee.count)
        state.pointee.base.deallocate()
        state.pointee.base = newBase
        state.pointee.capacity = newCapacity
    }

    @inlinable @inline(__always) package func append(_ byte: UInt8) {
        if state.pointee.count == state.pointee.capacity { grow(minimum: state.pointee.count + 1) }
        state.pointee.base[state.pointee.count] = byte
        state.pointee.count += 1
    }

    /// Appends a literal or a name. Names (elements, attributes, keys) are a few bytes long and
    /// their length is known only at run time, where a `memmove` call costs more than the copy:
    /// up to 16 bytes are copied as two overlapping words, each read within the text.
    @inlinable @inline(__always) package func append(_ text: StaticString) {
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

    @inlinable @inline(__always) package func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        reserve(bytes.count)
        (state.pointee.base + state.pointee.count).update(from: source, count: bytes.count)
        state.pointee.count += bytes.count
    }

    /// Appends a string's UTF-8 as it is (named apart from `append(_: StaticString)`, which
    /// string literals should reach).
    @inlinable @inline(__always) package func appendString(_ text: String) {
        if let done: Void = text.utf8.withContiguousStorageIfAvailable({ append($0) }) { return done }
        for byte in text.utf8 { append(byte) }
    }

    /// Appends the decimal digits of an integer.
    package func append(_ number: Int32) {
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
    @inlinable package func truncate(to length: Int) { state.pointee.count = length }

    /// The bytes written, as an array.
    package var bytes: [UInt8] { Array(UnsafeBufferPointer(start: state.pointee.base, count: state.pointee.count)) }
}
