/// One token of a FHIRPath expression.
struct FHIRPathToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// A name: `Patient`, `given`, `where`, or a keyword (`and`, `div`, `is`).
        case identifier
        /// A name in backticks (`` `div` ``): never a keyword.
        case delimitedIdentifier
        /// A string literal's value, escapes resolved.
        case string
        /// An integer literal's digits.
        case integer
        /// A decimal literal's digits.
        case decimal
        /// A long literal (`12L`): its digits.
        case long
        /// `@2020-01-01`, `@2020-01-01T10:00`, `@T10:00`: the text after `@`.
        case dateTime
        /// `%name`, `%'name'` or `` %`name` ``: the name.
        case externalConstant
        /// `$this`, `$index`, `$total`: the name without `$`.
        case special
        /// An operator or punctuation: `.`, `(`, `<=`, `!~`, ….
        case symbol
        /// The end of the expression.
        case end
    }

    var kind: Kind
    var text: String
    /// 0-based offset in Unicode scalars.
    var offset: Int
}

/// Splits an expression into tokens, skipping whitespace and comments.
struct FHIRPathLexer {
    private let scalars: [Unicode.Scalar]
    private let expression: String
    private var position = 0

    init(_ expression: String) {
        self.expression = expression
        self.scalars = Array(expression.unicodeScalars)
    }

    private func error(_ message: String, at offset: Int) -> FHIRPathError {
        FHIRPathError(stage: .syntax, message: message, expression: expression, offset: offset)
    }

    /// All tokens, ending with `.end`.
    mutating func tokenize() throws(FHIRPathError) -> [FHIRPathToken] {
        var tokens: [FHIRPathToken] = []
        while true {
            let token = try next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
        let index = position + ahead
        return index < scalars.count ? scalars[index] : nil
    }

    private static func isLetter(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_"
    }

    private static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }

    private mutating func skipTrivia() throws(FHIRPathError) {
        while let c = peek() {
            if c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0C}" {
                position += 1
            } else if c == "/", peek(1) == "/" {
                while let d = peek(), d != "\n" { position += 1 }
            } else if c == "/", peek(1) == "*" {
                let start = position
                position += 2
                while true {
                    guard let d = peek() else { throw error("comment '/*' is not closed with '*/'", at: start) }
                    if d == "*", peek(1) == "/" {
                        position += 2
                        break
                    }
                    position += 1
                }
            } else {
                return
            }
        }
    }

    private mutating func next() throws(FHIRPathError) -> FHIRPathToken {
        try skipTrivia()
        let start = position
        guard let c = peek() else { return FHIRPathToken(kind: .end, text: "", offset: start) }
        if Self.isLetter(c) {
            return FHIRPathToken(kind: .identifier, text: readWord(), offset: start)
        }
        if Self.isDigit(c) { return readNumber(start: start) }
        switch c {
        case "`":
            return FHIRPathToken(kind: .delimitedIdentifier, text: try readQuoted("`"), offset: start)
        case "'":
            return FHIRPathToken(kind: .string, text: try readQuoted("'"), offset: start)
        case "@":
            position += 1
            return FHIRPathToken(kind: .dateTime, text: try readDateTime(start: start), offset: start)
        case "%":
            position += 1
            guard let d = peek() else { throw error("expected a name after '%'", at: start) }
            let name: String
            if d == "`" {
                name = try readQuoted("`")
            } else if d == "'" {
                name = try readQuoted("'")
            } else if Self.isLetter(d) || Self.isDigit(d) {
                name = readWord(allowingHyphen: true)
            } else {
                throw error("expected a name after '%'", at: start)
            }
            return FHIRPathToken(kind: .externalConstant, text: name, offset: start)
        case "$":
            position += 1
            guard let d = peek(), Self.isLetter(d) else {
                throw error("expected 'this', 'index' or 'total' after '$'", at: start)
            }
            let name = readWord()
            guard name == "this" || name == "index" || name == "total" else {
                throw error("unknown special variable '$\(name)' (FHIRPath has $this, $index and $total)", at: start)
            }
            return FHIRPathToken(kind: .special, text: name, offset: start)
        default:
            break
        }
        let two: String? = peek(1).map { String(Character(c)) + String(Character($0)) }
        if let two, ["<=", ">=", "!=", "!~"].contains(two) {
            position += 2
            return FHIRPathToken(kind: .symbol, text: two, offset: start)
        }
        let single = String(Character(c))
        if ".,()[]{}+-*/|&=~<>".unicodeScalars.contains(c) {
            position += 1
            return FHIRPathToken(kind: .symbol, text: single, offset: start)
        }
        throw error("unexpected character '\(single)'", at: start)
    }

    private mutating func readWord(allowingHyphen: Bool = false) -> String {
        var text = String.UnicodeScalarView()
        while let c = peek(), Self.isLetter(c) || Self.isDigit(c) || (allowingHyphen && c == "-") {
            text.append(c)
            position += 1
        }
        return String(text)
    }

    private mutating func readNumber(start: Int) -> FHIRPathToken {
        var text = String.UnicodeScalarView()
        while let c = peek(), Self.isDigit(c) {
            text.append(c)
            position += 1
        }
        if peek() == ".", let d = peek(1), Self.isDigit(d) {
            text.append(".")
            position += 1
            while let c = peek(), Self.isDigit(c) {
                text.append(c)
                position += 1
            }
            return FHIRPathToken(kind: .decimal, text: String(text), offset: start)
        }
        if peek() == "L", !(peek(1).map { Self.isLetter($0) || Self.isDigit($0) } ?? false) {
            position += 1
            return FHIRPathToken(kind: .long, text: String(text), offset: start)
        }
        return FHIRPathToken(kind: .integer, text: String(text), offset: start)
    }

    /// Reads a quoted string or delimited identifier, resolving FHIRPath's escapes.
    private mutating func readQuoted(_ quote: Unicode.Scalar) throws(FHIRPathError) -> String {
        let start = position
        position += 1
        var text = String.UnicodeScalarView()
        while true {
            guard let c = peek() else {
                throw error(quote == "'" ? "string is not closed with '" : "identifier is not closed with `", at: start)
            }
            position += 1
            if c == quote { return String(text) }
            guard c == "\\" else {
                text.append(c)
                continue
            }
            guard let e = peek() else { continue }
            position += 1
            switch e {
            case "t": text.append("\t")
            case "n": text.append("\n")
            case "r": text.append("\r")
            case "f": text.append("\u{0C}")
            case "u":
                var value: UInt32 = 0
                for _ in 0..<4 {
                    guard let h = peek(), let digit = hexValue(h)
                    else { throw error("'\\u' must be followed by four hex digits", at: position) }
                    value = value * 16 + digit
                    position += 1
                }
                guard let scalar = Unicode.Scalar(value) else {
                    throw error("'\\u\(String(value, radix: 16))' is not a Unicode scalar", at: position)
                }
                text.append(scalar)
            case "'", "\"", "`", "\\", "/": text.append(e)
            default:
                throw error("unknown escape '\\\(Character(e))'", at: position - 2)
            }
        }
    }

    private func hexValue(_ c: Unicode.Scalar) -> UInt32? {
        switch c {
        case "0"..."9": return c.value - 48
        case "a"..."f": return c.value - 87
        case "A"..."F": return c.value - 55
        default: return nil
        }
    }

    /// Reads the text of a date, dateTime or time literal after `@`, up to where its grammar ends.
    private mutating func readDateTime(start: Int) throws(FHIRPathError) -> String {
        var text = String.UnicodeScalarView()
        while let c = peek() {
            let accept: Bool
            if Self.isDigit(c) || c == "-" || c == ":" || c == "T" || c == "Z" {
                accept = true
            } else if c == "+" {
                // A zone offset only follows a time part: `@2020-01-01T10:00+01:00`.
                accept = text.contains("T") && (peek(1).map(Self.isDigit) ?? false)
            } else if c == "." {
                accept = peek(1).map(Self.isDigit) ?? false
            } else {
                accept = false
            }
            guard accept else { break }
            // '-' after the time part starts a zone only when followed by two digits and ':'.
            if c == "-", text.contains("T"), !(peek(1).map(Self.isDigit) ?? false) { break }
            text.append(c)
            position += 1
        }
        if text.isEmpty { throw error("expected a date or time after '@'", at: start) }
        return String(text)
    }
}
