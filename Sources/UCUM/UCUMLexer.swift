/// A token of a UCUM expression, with the byte range it covers.
struct UCUMToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// `.`
        case period
        /// `/`
        case solidus
        /// `(`
        case open
        /// `)`
        case close
        /// Letters, brackets and the other symbol characters: a unit with an optional prefix.
        case symbol
        /// Unsigned digits: a factor, or an exponent right after a symbol.
        case digits
        /// `+` or `-` then digits: only an exponent.
        case signedDigits
        /// `{…}`: the range includes both braces.
        case annotation
        /// The end of the text.
        case end
    }
    let kind: Kind
    let start: Int
    let end: Int
}

/// Splits a UCUM expression (UTF-8 bytes) into tokens. The rules follow the UCUM grammar: a
/// symbol may hold digits only inside square brackets or when it begins with digits (`10*`),
/// so `m2` is the symbol `m` then the exponent `2`, while `12h` is one (unknown) symbol.
struct UCUMLexer {
    let bytes: [UInt8]
    let source: String
    private(set) var position = 0

    init(_ source: String) {
        self.source = source
        self.bytes = Array(source.utf8)
    }

    /// The next token, or an error naming the offending byte.
    mutating func next() throws(UCUMError) -> UCUMToken {
        let n = bytes.count
        guard position < n else { return UCUMToken(kind: .end, start: n, end: n) }
        let start = position
        let byte = bytes[position]
        switch byte {
        case .period: position += 1; return UCUMToken(kind: .period, start: start, end: position)
        case .solidus: position += 1; return UCUMToken(kind: .solidus, start: start, end: position)
        case .openParen: position += 1; return UCUMToken(kind: .open, start: start, end: position)
        case .closeParen: position += 1; return UCUMToken(kind: .close, start: start, end: position)
        case .openBrace: return try annotation()
        case .plus, .minus:
            position += 1
            guard position < n, bytes[position].isDigit else {
                throw UCUMError(
                    .syntax, source, at: start,
                    "'\(Character(UnicodeScalar(byte)))' must be followed by the digits of an exponent")
            }
            while position < n, bytes[position].isDigit { position += 1 }
            return UCUMToken(kind: .signedDigits, start: start, end: position)
        case .closeBrace:
            throw UCUMError(.invalidAnnotation, source, at: start, "'}' without an opening '{'")
        default:
            if byte.isSymbolCharacter || byte.isDigit || byte == .openBracket { return try symbolOrDigits() }
            if byte >= 0x80 {
                throw UCUMError(
                    .syntax, source, at: start, "a non-ASCII character; UCUM codes are ASCII (write 'u' for micro)")
            }
            let shown = byte == .space ? "a space" : "the character '\(Character(UnicodeScalar(byte)))'"
            throw UCUMError(.syntax, source, at: start, "\(shown) cannot appear in a UCUM unit")
        }
    }

    private mutating func annotation() throws(UCUMError) -> UCUMToken {
        let start = position
        position += 1
        while position < bytes.count {
            let byte = bytes[position]
            if byte == .closeBrace {
                position += 1
                return UCUMToken(kind: .annotation, start: start, end: position)
            }
            if byte == .openBrace {
                throw UCUMError(.invalidAnnotation, source, at: position, "'{' inside an annotation")
            }
            if byte < 33 || byte > 126 {
                throw UCUMError(
                    .invalidAnnotation, source, at: position,
                    "an annotation may only hold printable ASCII characters (no spaces, no non-ASCII)")
            }
            position += 1
        }
        throw UCUMError(.invalidAnnotation, source, at: start, "annotation '{' is not closed with '}'")
    }

    private mutating func symbolOrDigits() throws(UCUMError) -> UCUMToken {
        let start = position
        var onlyDigits = true
        while position < bytes.count {
            let byte = bytes[position]
            if byte == .openBracket {
                guard let close = bytes[position...].firstIndex(of: .closeBracket) else {
                    throw UCUMError(.syntax, source, at: position, "'[' is not closed with ']'")
                }
                if let bad = bytes[position + 1..<close].firstIndex(where: { $0 < 33 || $0 > 126 || $0 == .openBracket }
                ) {
                    throw UCUMError(.syntax, source, at: bad, "this character cannot appear inside '[…]'")
                }
                position = close + 1
                onlyDigits = false
            } else if byte.isDigit && onlyDigits {
                position += 1
            } else if byte.isSymbolCharacter {
                position += 1
                onlyDigits = false
            } else {
                break
            }
        }
        return UCUMToken(kind: onlyDigits ? .digits : .symbol, start: start, end: position)
    }
}

extension UInt8 {
    static let period = UInt8(ascii: ".")
    static let solidus = UInt8(ascii: "/")
    static let openParen = UInt8(ascii: "(")
    static let closeParen = UInt8(ascii: ")")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let plus = UInt8(ascii: "+")
    static let minus = UInt8(ascii: "-")
    static let space = UInt8(ascii: " ")

    var isDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }

    /// Letters and `%`, `*`, `^`, `'`, `"`, `_` (the characters UCUM atoms use outside
    /// brackets; `[` is handled by the lexer).
    var isSymbolCharacter: Bool {
        switch self {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): return true
        case UInt8(ascii: "%"), UInt8(ascii: "*"), UInt8(ascii: "^"), UInt8(ascii: "'"), UInt8(ascii: "\""),
            UInt8(ascii: "_"):
            return true
        default: return false
        }
    }
}
