/// A read position in UTF-8 bytes, with the few operations the recognizers need; it works on
/// the string's own storage, with no index arithmetic on `String.UTF8View`.
struct ByteCursor {
    private let base: UnsafePointer<UInt8>?
    private var index: Int
    private let end: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        base = bytes.baseAddress
        index = 0
        end = bytes.count
    }

    @inline(__always) var first: UInt8? { index < end ? base![index] : nil }
    @inline(__always) var isEmpty: Bool { index >= end }
    @inline(__always) mutating func removeFirst() { index += 1 }

    /// The next `count` bytes (or fewer at the end) as text.
    func prefix(_ count: Int) -> String {
        guard let base else { return "" }
        return String(decoding: UnsafeBufferPointer(start: base + index, count: min(count, end - index)), as: UTF8.self)
    }

    /// Runs `body` over the UTF-8 bytes of `text`.
    static func with<T>(_ text: String, _ body: (inout ByteCursor) -> T) -> T {
        var text = text
        return text.withUTF8 { bytes in
            var cursor = ByteCursor(bytes)
            return body(&cursor)
        }
    }
}

/// Small byte-level recognizers for FHIR's primitive formats (no regular-expression engine).
enum ByteGrammar {
    static let zero = UInt8(ascii: "0"), nine = UInt8(ascii: "9")

    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte >= zero && byte <= nine }

    @discardableResult
    static func consumeDigits(_ input: inout ByteCursor) -> Int {
        var count = 0
        while let byte = input.first, isDigit(byte) {
            input.removeFirst()
            count += 1
        }
        return count
    }

    /// Reads exactly `count` digits as a number, or `nil`.
    static func fixedDigits(_ input: inout ByteCursor, _ count: Int) -> Int? {
        var value = 0
        for _ in 0..<count {
            guard let byte = input.first, isDigit(byte) else { return nil }
            value = value * 10 + Int(byte - zero)
            input.removeFirst()
        }
        return value
    }

    static func consume(_ input: inout ByteCursor, _ ascii: Unicode.Scalar) -> Bool {
        guard input.first == UInt8(ascii: ascii) else { return false }
        input.removeFirst()
        return true
    }
}
