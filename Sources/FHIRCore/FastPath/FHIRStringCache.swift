#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The strings the fast readers made lately, handed out again for the same bytes.
///
/// FHIR data repeats its longer strings: code system and extension URLs, displays, units.
/// Those of 16 bytes or more do not fit inside a `String` value, so each one read costs an
/// allocation, a copy and a UTF-8 check, and a `free` when its model goes; taken from here,
/// a repeated one costs a comparison (on generated IVIG data 10 of a resource's 13 such strings
/// were seen before). Strings are values, so sharing one between models changes nothing.
///
/// A table of 256 slots, each holding the last string whose bytes hashed to it; one cache per
/// thread (see ``withCache(_:)``), so nothing is locked.
package final class FHIRStringCache {
    private struct Slot {
        var hash: UInt64 = 0
        var string: String?
    }

    private static let slotCount = 256
    /// Shorter strings are stored inside the `String` value: nothing to save.
    private static let shortest = 16
    /// Longer strings are rarely repeated (narratives, free text), and each slot holds one.
    private static let longest = 96

    private let slots: UnsafeMutablePointer<Slot>

    private init() {
        slots = .allocate(capacity: Self.slotCount)
        slots.initialize(repeating: Slot(), count: Self.slotCount)
    }

    deinit {
        slots.deinitialize(count: Self.slotCount)
        slots.deallocate()
    }

    private static let spare = PerThreadSpare<FHIRStringCache>()

    /// Runs `body` with the calling thread's cache.
    package static func withCache<Result>(_ body: (FHIRStringCache) -> Result) -> Result {
        let cache = spare.take() ?? FHIRStringCache()
        defer { spare.give(cache) }
        return body(cache)
    }

    /// The string of `bytes` (valid UTF-8: the readers have checked it).
    @inline(__always) package func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard bytes.count >= Self.shortest, bytes.count <= Self.longest, let base = bytes.baseAddress else {
            return String(decoding: bytes, as: UTF8.self)
        }
        return cached(base, count: bytes.count)
    }

    private func cached(_ base: UnsafePointer<UInt8>, count: Int) -> String {
        // Three words (start, middle, end) and the length: URLs of one code system differ in
        // their middle or end, and which slot a string takes only has to be well spread.
        let raw = UnsafeRawPointer(base)
        let start = raw.loadUnaligned(as: UInt64.self)
        let middle = raw.loadUnaligned(fromByteOffset: count / 2 - 4, as: UInt64.self)
        let end = raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        var hash = (start ^ UInt64(count)) &* 0x9E37_79B9_7F4A_7C15
        hash = (hash ^ middle ^ (hash >> 31)) &* 0xBF58_476D_1CE4_E5B9
        hash = (hash ^ end ^ (hash >> 29)) &* 0x94D0_49BB_1331_11EB
        hash ^= hash >> 32
        let slot = slots + Int(truncatingIfNeeded: hash & UInt64(Self.slotCount - 1))
        if slot.pointee.hash == hash, let string = slot.pointee.string, Self.equals(string, base, count) {
            return string
        }
        let string = String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self)
        slot.pointee = Slot(hash: hash, string: string)
        return string
    }

    @inline(__always) private static func equals(_ string: String, _ base: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        string.utf8.count == count
            && string.utf8.withContiguousStorageIfAvailable { memcmp($0.baseAddress!, base, count) == 0 } == true
    }
}
