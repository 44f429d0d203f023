/// A growable byte buffer for the fast writers: raw storage with inlinable appends, so writing
/// a byte costs a compare and a store (no array uniqueness or exclusivity checks per byte).
package final class FHIROutputBytes {
    @usableFromInline package var base: UnsafeMutablePointer<UInt8>
    @usableFromInline package var count = 0
    @usableFromInline package var capacity: Int

    package init(capacity: Int = 4096) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    /// Makes room for `extra` more bytes.
    @inlinable @inline(__always) package func reserve(_ extra: Int) {
        if count + extra > capacity { grow(minimum: count + extra) }
    }

    @usableFromInline package func grow(minimum: Int) {
        var newCapacity = capacity * 2
        while newCapacity < minimum { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inlinable @inline(__always) package func append(_ byte: UInt8) {
        if count == capacity { grow(minimum: count + 1) }
        base[count] = byte
        count += 1
    }

    @inlinable @inline(__always) package func append(_ text: StaticString) {
        append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    @inlinable @inline(__always) package func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        reserve(bytes.count)
        (base + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    /// Appends a string's UTF-8 as it is.
    @inlinable package func append(_ text: String) {
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
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var used = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[9 - used] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
                used += 1
            } while value > 0
            append(UnsafeBufferPointer(start: buffer.baseAddress!.assumingMemoryBound(to: UInt8.self) + 10 - used,
                                       count: used))
        }
    }

    /// Drops everything after the first `length` bytes.
    package func truncate(to length: Int) { count = length }

    /// The bytes written, as an array.
    package var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }
}
