/// SplitMix64 (Steele, Lea and Flood 2014): a small, fast generator whose output depends only on
/// its seed, on every platform and Swift version.
///
/// The samples must be byte-for-byte reproducible from a seed, so nothing here calls the standard
/// library's `random(in:using:)`, whose mapping of bits to ranges is not specified.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator; the same seed always gives the same sequence.
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `range`, by multiply-and-shift (Lemire); the tiny bias is irrelevant for samples.
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound + 1)
        let high = next().multipliedFullWidth(by: span).high
        return range.lowerBound + Int(high)
    }

    /// `true` with the given probability in percent.
    mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }

    /// One element of a non-empty array.
    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    /// A generator for one sub-sequence, so adding a draw in one record does not shift the
    /// values of every record after it.
    mutating func split() -> SplitMix64 { SplitMix64(seed: next()) }
}
