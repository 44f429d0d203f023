/// FHIR's decimal grammar, which is also JSON's number grammar:
/// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`. No leading `+`, no leading zeros, no bare
/// `.` at either end, no NaN or Infinity.
///
/// The one definition of it: FHIR decimals (`FHIRDecimal`), JSON numbers (the FHIR JSON scanner)
/// and exact decimal text (`ExactDecimal`) are all read by ``scan(_:from:)``.
///
/// ```swift
/// let text: [UInt8] = Array("1.50e-3".utf8)
/// let number = try text.withUnsafeBufferPointer { try DecimalGrammar.scan($0).get() }
/// // number.integer == 0..<1, number.fraction == 2..<4, number.exponent == 6..<7, number.end == 7
/// ```
public enum DecimalGrammar {
    /// Where the parts of a number lie in the bytes scanned (offsets into the buffer).
    public struct Number: Hashable, Sendable {
        /// Whether it starts with `-`.
        public var isNegative: Bool
        /// The digits before the point.
        public var integer: Range<Int>
        /// The digits after the point; empty when there is no point.
        public var fraction: Range<Int>
        /// Whether the exponent has a `-` sign.
        public var exponentIsNegative: Bool
        /// The exponent's digits; nil when there is no exponent.
        public var exponent: Range<Int>?
        /// Just past the number's last byte. What follows (a `,`, a space, the end) is the
        /// caller's to judge.
        public var end: Int

        @inlinable
        init(
            isNegative: Bool, integer: Range<Int>, fraction: Range<Int>, exponentIsNegative: Bool,
            exponent: Range<Int>?, end: Int
        ) {
            self.isNegative = isNegative
            self.integer = integer
            self.fraction = fraction
            self.exponentIsNegative = exponentIsNegative
            self.exponent = exponent
            self.end = end
        }
    }

    /// Why the bytes do not start with a number, and at which byte.
    public struct Failure: Error, Hashable, Sendable {
        /// What is wrong.
        public enum Reason: Hashable, Sendable {
            /// No digit at the start (a `+`, a `.`, a letter, the end), nor after a `-`.
            case expectedDigit
            /// No digit after the decimal point.
            case expectedFractionDigit
            /// No digit in the exponent (after `e` and its sign).
            case expectedExponentDigit
            /// A `0` followed by more digits before the point.
            case leadingZero
        }

        /// What is wrong.
        public var reason: Reason
        /// The offset of the byte where the grammar stopped.
        public var offset: Int

        @inlinable
        init(_ reason: Reason, at offset: Int) {
            self.reason = reason
            self.offset = offset
        }
    }

    /// Reads the number that starts at `start`.
    /// - Returns: its parts, or why there is none there.
    @inlinable
    public static func scan(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0) -> Result<Number, Failure> {
        var position = start
        @inline(__always) func byte() -> UInt8? { position < bytes.count ? bytes[position] : nil }
        @inline(__always) func skipDigits() -> Range<Int> {
            let first = position
            while let digit = byte(), isDigit(digit) { position += 1 }
            return first..<position
        }
        let isNegative = byte() == UInt8(ascii: "-")
        if isNegative { position += 1 }
        guard let first = byte(), isDigit(first) else { return .failure(Failure(.expectedDigit, at: position)) }
        let integer: Range<Int>
        if first == UInt8(ascii: "0") {
            position += 1
            if let next = byte(), isDigit(next) { return .failure(Failure(.leadingZero, at: position - 1)) }
            integer = (position - 1)..<position
        } else {
            integer = skipDigits()
        }
        var fraction = position..<position
        if byte() == UInt8(ascii: ".") {
            position += 1
            fraction = skipDigits()
            if fraction.isEmpty { return .failure(Failure(.expectedFractionDigit, at: position)) }
        }
        var exponentIsNegative = false
        var exponent: Range<Int>?
        if byte() == UInt8(ascii: "e") || byte() == UInt8(ascii: "E") {
            position += 1
            if byte() == UInt8(ascii: "+") || byte() == UInt8(ascii: "-") {
                exponentIsNegative = byte() == UInt8(ascii: "-")
                position += 1
            }
            let digits = skipDigits()
            if digits.isEmpty { return .failure(Failure(.expectedExponentDigit, at: position)) }
            exponent = digits
        }
        return .success(
            Number(
                isNegative: isNegative, integer: integer, fraction: fraction, exponentIsNegative: exponentIsNegative,
                exponent: exponent, end: position))
    }

    /// Whether all of `bytes` is one number.
    @inlinable
    public static func matches(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard case .success(let number) = scan(bytes) else { return false }
        return number.end == bytes.count
    }

    /// Whether `byte` is an ASCII digit.
    @inlinable @inline(__always)
    public static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
