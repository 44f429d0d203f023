import BigInt

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

    /// Parses decimal text: an optional sign, digits, an optional `.` followed by digits, and an
    /// optional exponent `e`/`E` with an optional sign and digits. `1.50`, `-0.08`, `1e-3`,
    /// `1.0E-245` and `+7` are accepted; `.5`, `5.`, `1,5`, ` 1` and `0x10` are not.
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
        var i = 0
        let n = bytes.count
        func fail(_ reason: ExactDecimalParseError.Reason) -> Result<ExactDecimal, ExactDecimalParseError> {
            .failure(ExactDecimalParseError(reason: reason, offset: i))
        }
        if n == 0 { return fail(.empty) }
        var negative = false
        if bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        var digits: [UInt8] = []
        digits.reserveCapacity(n)
        while i < n, isDigit(bytes[i]) { digits.append(bytes[i]); i += 1 }
        if digits.isEmpty { return fail(.expectedDigit) }
        var exponent = 0
        if i < n, bytes[i] == UInt8(ascii: ".") {
            i += 1
            let start = digits.count
            while i < n, isDigit(bytes[i]) { digits.append(bytes[i]); i += 1 }
            if digits.count == start { return fail(.expectedDigit) }
            exponent = start - digits.count
        }
        if i < n, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            var expNegative = false
            if i < n, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
                expNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            var written = 0
            var sawDigit = false
            let expStart = i
            while i < n, isDigit(bytes[i]) {
                sawDigit = true
                written = written * 10 + Int(bytes[i] &- UInt8(ascii: "0"))
                if written > ExactDecimal.maximumExponentMagnitude {
                    i = expStart
                    return fail(.exponentTooLarge)
                }
                i += 1
            }
            if !sawDigit { return fail(.expectedDigit) }
            exponent += expNegative ? -written : written
            if abs(exponent) > ExactDecimal.maximumExponentMagnitude + n {
                i = expStart
                return fail(.exponentTooLarge)
            }
        }
        if i < n { return fail(.unexpectedCharacter) }
        let magnitude = BigInt(String(decoding: digits, as: UTF8.self))!
        return .success(ExactDecimal(significand: negative ? -magnitude : magnitude, exponent: exponent))
    }
}

@inline(__always)
private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

/// Why text is not a decimal number, and where.
public struct ExactDecimalParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Reason: Sendable, Hashable {
        /// The text is empty.
        case empty
        /// A digit was expected (after a sign, a `.`, or an `e`).
        case expectedDigit
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
        case .unexpectedCharacter: return "unexpected character at column \(column)"
        case .exponentTooLarge:
            return "exponent at column \(column) is larger than \(ExactDecimal.maximumExponentMagnitude)"
        }
    }
}
