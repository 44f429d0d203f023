/// Small byte-level recognizers for FHIR's primitive formats (no regular-expression engine).
enum ByteGrammar {
    static let zero = UInt8(ascii: "0"), nine = UInt8(ascii: "9")

    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte >= zero && byte <= nine }

    /// Consumes a number in JSON's grammar, which is also FHIR's decimal grammar:
    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`. Returns `false` (consuming an
    /// unspecified prefix) when the input does not start with one.
    static func consumeNumber(_ input: inout Substring.UTF8View) -> Bool {
        if input.first == UInt8(ascii: "-") { input.removeFirst() }
        guard let first = input.first, isDigit(first) else { return false }
        input.removeFirst()
        if first != zero { consumeDigits(&input) }
        if input.first == UInt8(ascii: ".") {
            input.removeFirst()
            guard consumeDigits(&input) > 0 else { return false }
        }
        if input.first == UInt8(ascii: "e") || input.first == UInt8(ascii: "E") {
            input.removeFirst()
            if input.first == UInt8(ascii: "+") || input.first == UInt8(ascii: "-") { input.removeFirst() }
            guard consumeDigits(&input) > 0 else { return false }
        }
        return true
    }

    @discardableResult
    static func consumeDigits(_ input: inout Substring.UTF8View) -> Int {
        var count = 0
        while let byte = input.first, isDigit(byte) {
            input.removeFirst()
            count += 1
        }
        return count
    }

    /// Reads exactly `count` digits as a number, or `nil`.
    static func fixedDigits(_ input: inout Substring.UTF8View, _ count: Int) -> Int? {
        var value = 0
        for _ in 0..<count {
            guard let byte = input.first, isDigit(byte) else { return nil }
            value = value * 10 + Int(byte - zero)
            input.removeFirst()
        }
        return value
    }

    static func consume(_ input: inout Substring.UTF8View, _ ascii: Unicode.Scalar) -> Bool {
        guard input.first == UInt8(ascii: ascii) else { return false }
        input.removeFirst()
        return true
    }
}
