import BigInt
import DecimalGrammar

extension ExactDecimal: CustomStringConvertible, LosslessStringConvertible {
    /// Plain decimal text with the digits as stored, never an exponent: `1.50`, `0.001` for
    /// `1e-3`, `100` for `1e2`, `-0.25`.
    public var description: String {
        let negative = significand.signum() < 0
        var digits = String(significand.magnitude)
        if exponent > 0 && !significand.isZero {
            digits += String(repeating: "0", count: exponent)
        } else if exponent < 0 {
            let fraction = -exponent
            if digits.utf8.count <= fraction {
                digits = String(repeating: "0", count: fraction - digits.utf8.count + 1) + digits
            }
            let split = digits.index(digits.endIndex, offsetBy: -fraction)
            digits = digits[..<split] + "." + digits[split...]
        }
        return negative ? "-" + digits : digits
    }

    /// Parses decimal text (see ``init(parsing:)``), or returns `nil` when it is not one.
    public init?(_ description: String) {
        guard let value = try? ExactDecimal(parsing: description) else { return nil }
        self = value
    }

    /// Parses decimal text in FHIR's decimal grammar, which is JSON's number grammar
    /// (`DecimalGrammar`): an optional `-`, digits without leading zeros, an optional `.` followed
    /// by digits, and an optional exponent `e`/`E` with an optional sign and digits. `1.50`,
    /// `-0.08`, `1e-3` and `1.0E-245` are accepted; `+7`, `007`, `.5`, `5.`, `1,5`, ` 1` and
    /// `0x10` are not.
    ///
    /// The digits are kept as written: `1.50` has significand 150 and exponent -2.
    ///
    /// - Parameter text: The text to read, in full.
    /// - Throws: ``ExactDecimalParseError`` naming the byte offset and what was expected.
    public init(parsing text: String) throws(ExactDecimalParseError) {
        var text = text
        let result = text.withUTF8 { bytes in Self.parse(bytes) }
        switch result {
        case .success(let value): self = value
        case .failure(let error): throw error
        }
    }

    /// Parses decimal text from UTF-8 bytes; see ``init(parsing:)``.
    ///
    /// - Parameter bytes: The UTF-8 text, in full.
    /// - Throws: ``ExactDecimalParseError`` naming the byte offset and what was expected.
    public init(parsingUTF8 bytes: some Collection<UInt8>) throws(ExactDecimalParseError) {
        let array = Array(bytes)
        let result = array.withUnsafeBufferPointer { Self.parse($0) }
        switch result {
        case .success(let value): self = value
        case .failure(let error): throw error
        }
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<ExactDecimal, ExactDecimalParseError> {
        if bytes.isEmpty { return .failure(ExactDecimalParseError(reason: .empty, offset: 0)) }
        let number: DecimalGrammar.Number
        switch DecimalGrammar.scan(bytes) {
        case .success(let scanned): number = scanned
        case .failure(let failure):
            let reason: ExactDecimalParseError.Reason = failure.reason == .leadingZero ? .leadingZero : .expectedDigit
            return .failure(ExactDecimalParseError(reason: reason, offset: failure.offset))
        }
        if number.end < bytes.count {
            return .failure(ExactDecimalParseError(reason: .unexpectedCharacter, offset: number.end))
        }
        var exponent = -number.fraction.count
        if let digits = number.exponent {
            var written = 0
            for index in digits {
                written = written * 10 + Int(bytes[index] &- UInt8(ascii: "0"))
                if written > ExactDecimal.maximumExponentMagnitude {
                    return .failure(ExactDecimalParseError(reason: .exponentTooLarge, offset: digits.lowerBound))
                }
            }
            exponent += number.exponentIsNegative ? -written : written
            if abs(exponent) > ExactDecimal.maximumExponentMagnitude + bytes.count {
                return .failure(ExactDecimalParseError(reason: .exponentTooLarge, offset: digits.lowerBound))
            }
        }
        let magnitude: BigInt
        if number.integer.count + number.fraction.count < powersOfTenInAWord.count {
            // Up to 19 digits fit a word: read them without a String and BigInt's text parser.
            var value: UInt = 0
            for index in number.integer { value = value * 10 + UInt(bytes[index] &- UInt8(ascii: "0")) }
            for index in number.fraction { value = value * 10 + UInt(bytes[index] &- UInt8(ascii: "0")) }
            magnitude = BigInt(magnitude: value, negative: false)
        } else {
            let digits =
                String(decoding: UnsafeBufferPointer(rebasing: bytes[number.integer]), as: UTF8.self)
                + String(decoding: UnsafeBufferPointer(rebasing: bytes[number.fraction]), as: UTF8.self)
            magnitude = BigInt(digits)!
        }
        return .success(ExactDecimal(significand: number.isNegative ? -magnitude : magnitude, exponent: exponent))
    }
}

/// Why text is not a decimal number, and where.
public struct ExactDecimalParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Reason: Sendable, Hashable {
        /// The text is empty.
        case empty
        /// A digit was expected (at the start, after a `-`, a `.`, or an `e`).
        case expectedDigit
        /// A `0` followed by more digits before the point (`007`).
        case leadingZero
        /// A character that cannot appear there (a comma, a space, a letter, a second `.`).
        case unexpectedCharacter
        /// The exponent is beyond ``ExactDecimal/maximumExponentMagnitude``.
        case exponentTooLarge
    }

    /// What went wrong.
    public let reason: Reason
    /// The 0-based byte offset of the problem in the text.
    public let offset: Int

    /// A sentence for a person, with the 1-based column: `expected a digit at column 3`.
    public var description: String {
        let column = offset + 1
        switch reason {
        case .empty: return "empty text is not a decimal number"
        case .expectedDigit: return "expected a digit at column \(column)"
        case .leadingZero: return "a leading zero at column \(column)"
        case .unexpectedCharacter: return "unexpected character at column \(column)"
        case .exponentTooLarge:
            return "exponent at column \(column) is larger than \(ExactDecimal.maximumExponentMagnitude)"
        }
    }
}
