import BigInt

/// Integers of one machine word as BigInts, and back. BigInt's initializers from an integer are
/// generic over `BinaryInteger` and go through the integer's words (an array for a negative
/// value), and its arithmetic on small values works on arrays of words; doses, rates and weights
/// fit a word, so the exact types keep them in machine arithmetic where they can.
extension BigUInt {
    /// `value`, held inline (a multiple of one, which BigUInt keeps in its two inline words).
    static func word(_ value: UInt) -> BigUInt {
        value == 0 ? BigUInt() : unitWord.multiplied(byWord: value)
    }
    private static let unitWord: BigUInt = 1

    /// The value when it fits one word, else `nil`.
    var singleWord: UInt? {
        bitWidth <= UInt.bitWidth ? (words.first ?? 0) : nil
    }
}

extension BigInt {
    /// The integer with magnitude `magnitude`, negative when `negative` (zero is never negative).
    init(magnitude: UInt, negative: Bool) {
        self.init(sign: negative ? .minus : .plus, magnitude: .word(magnitude))
    }

    /// The integer `value`, without the generic initializer.
    init(word value: Int) {
        self.init(magnitude: value.magnitude, negative: value < 0)
    }
}

/// `10^n` for `0 ≤ n ≤ 19`, the powers of ten that fit a word.
let powersOfTenInAWord: [UInt] = (0...19).map { n in (0..<n).reduce(1) { power, _ in power * 10 } }
