import BigInt

/// Recursive-descent parser for UCUM's grammar, over the tokens of ``UCUMLexer``:
///
/// ```
/// main-term  := "/" term | term | (empty: unity)
/// term       := component (("." | "/") component)*
/// component  := simple-unit exponent? annotation? | factor annotation? | annotation
///             | "(" term ")"
/// simple-unit:= atom | prefix metric-atom
/// ```
struct UCUMParser {
    private var lexer: UCUMLexer
    private var token: UCUMToken
    private let table: UCUMAtomTable
    /// Exponents beyond this magnitude are refused (`m1000` is no real unit and would build
    /// enormous numbers).
    static let maximumExponent = 999
    /// Unit codes longer than this are refused. Clinical units are under 30 characters; the
    /// bound keeps a crafted code from building numbers with millions of digits.
    static let maximumLength = 256
    /// Parentheses nested deeper than this are refused, so the recursion stays shallow.
    static let maximumNesting = 16
    /// The exponents of a unit's atoms may add up to this much at most (`10*23` spends 23,
    /// `m3/s2` 5). Their sum bounds the size of the unit's exact factor, whose arithmetic grows
    /// with it: `u929` (10^-5574) took the UCUM fuzz target 30 seconds to convert.
    static let maximumExponentSum = 60
    /// How many parentheses are open where the parser is.
    private var nesting = 0
    /// The sum of the absolute exponents read so far.
    private var exponentSum = 0

    /// Parses `source` in full.
    static func parse(_ source: String, table: UCUMAtomTable = .shared) throws(UCUMError) -> UCUMTerm {
        guard source.utf8.count <= maximumLength else {
            throw UCUMError(
                .syntax, String(source.prefix(40)) + "…", at: maximumLength,
                "a unit code longer than \(maximumLength) characters (\(source.utf8.count)) is refused")
        }
        var parser = try UCUMParser(source, table: table)
        return try parser.parseMainTerm()
    }

    private init(_ source: String, table: UCUMAtomTable) throws(UCUMError) {
        lexer = UCUMLexer(source)
        self.table = table
        token = try lexer.next()
    }

    private var source: String { lexer.source }

    private mutating func advance() throws(UCUMError) { token = try lexer.next() }

    private func text(_ t: UCUMToken) -> String {
        String(decoding: lexer.bytes[t.start..<t.end], as: UTF8.self)
    }

    private func error(_ code: UCUMError.Code = .syntax, at offset: Int, _ reason: String) -> UCUMError {
        UCUMError(code, source, at: offset, reason)
    }

    private mutating func parseMainTerm() throws(UCUMError) -> UCUMTerm {
        if token.kind == .end { return UCUMTerm(components: []) }
        var leadingSlash = false
        if token.kind == .solidus {
            leadingSlash = true
            try advance()
        }
        let term = try parseTerm(firstDivides: leadingSlash, after: leadingSlash ? "'/'" : nil)
        switch token.kind {
        case .end: return term
        case .close: throw error(at: token.start, "')' without a matching '('")
        default: throw missingOperator()
        }
    }

    private func missingOperator() -> UCUMError {
        error(
            at: token.start,
            "expected '.' or '/' before '\(text(token))'; units are joined with '.' (times) or '/' (per)")
    }

    private mutating func parseTerm(firstDivides: Bool, after: String?) throws(UCUMError) -> UCUMTerm {
        var components = [try parseComponent(divides: firstDivides, after: after)]
        while token.kind == .period || token.kind == .solidus {
            let divides = token.kind == .solidus
            let op = text(token)
            try advance()
            components.append(try parseComponent(divides: divides, after: "'\(op)'"))
        }
        return UCUMTerm(components: components)
    }

    private mutating func parseComponent(divides: Bool, after: String?) throws(UCUMError) -> UCUMComponent {
        let start = token.start
        var component: UCUMComponent
        switch token.kind {
        case .open:
            guard nesting < Self.maximumNesting else {
                throw error(at: start, "parentheses nested deeper than \(Self.maximumNesting) levels")
            }
            nesting += 1
            defer { nesting -= 1 }
            try advance()
            let inner = try parseTerm(firstDivides: false, after: "'('")
            switch token.kind {
            case .close: break
            case .end: throw error(at: start, "'(' is not closed with ')'")
            default: throw missingOperator()
            }
            try advance()
            return UCUMComponent(kind: .group(inner), divides: divides, start: start, end: token.start)
        case .annotation:
            // An annotation alone is the number one; the annotation is attached just below.
            component = UCUMComponent(kind: .unity, divides: divides, start: start, end: token.end)
        case .digits:
            let digits = text(token)
            try advance()
            if token.kind == .signedDigits {
                throw error(
                    .unknownUnit, at: start,
                    "'\(digits)' is a number, not a unit; write a power of ten as 10*\(text(token)) ")
            }
            let factor = BigInt(digits)!
            // A factor of zero would make every quantity zero and every conversion a division by zero.
            guard factor != 0 else {
                throw error(at: start, "the factor '\(digits)' is zero; a unit factor must be a positive number")
            }
            component = UCUMComponent(kind: .factor(factor), divides: divides, start: start, end: token.start)
        case .symbol:
            let symbolToken = token
            let (prefix, atom) = try resolve(symbolToken)
            try advance()
            var exponent = 1
            if token.kind == .digits || token.kind == .signedDigits {
                let written = text(token)
                guard let value = Int(written.hasPrefix("+") ? String(written.dropFirst()) : written),
                    abs(value) <= Self.maximumExponent
                else {
                    throw error(at: token.start, "exponent '\(written)' is larger than \(Self.maximumExponent)")
                }
                exponent = value
                try advance()
            }
            exponentSum += abs(exponent)
            guard exponentSum <= Self.maximumExponentSum else {
                throw error(
                    at: start,
                    "the exponents add up to more than \(Self.maximumExponentSum); no unit in use needs that many")
            }
            component = UCUMComponent(
                kind: .unit(prefix: prefix, atom: atom, exponent: exponent), divides: divides, start: start,
                end: token.start)
        case .end:
            throw error(at: token.start, after.map { "expected a unit after \($0)" } ?? "expected a unit")
        case .signedDigits:
            throw error(at: token.start, "an exponent must follow a unit, as in 's-1'")
        case .period, .solidus, .close:
            let what = after.map { "after \($0)" } ?? "at the start"
            throw error(at: token.start, "expected a unit, a number or '(' \(what), found '\(text(token))'")
        }
        if token.kind == .annotation {
            let t = token
            component.annotation = String(decoding: lexer.bytes[t.start + 1..<t.end - 1], as: UTF8.self)
            component.end = t.end
            try advance()
        }
        return component
    }

    /// The prefix and atom a symbol names, or an error that says what was probably meant.
    private func resolve(_ t: UCUMToken) throws(UCUMError) -> (UCUMPrefix?, UCUMAtom) {
        let symbol = text(t)
        if let atom = table.atoms[symbol] { return (nil, atom) }
        var nonMetric: (UCUMPrefix, UCUMAtom)?
        for prefix in table.prefixes where symbol.hasPrefix(prefix.code) {
            let rest = String(symbol.utf8.dropFirst(prefix.code.utf8.count))!
            if let atom = table.atoms[rest] {
                if atom.isMetric { return (prefix, atom) }
                nonMetric = (prefix, atom)
            }
        }
        if let (prefix, atom) = nonMetric {
            throw error(
                .unknownUnit, at: t.start,
                "'\(symbol)': the prefix '\(prefix.code)' (\(prefix.name)) cannot be used with '\(atom.code)' (\(atom.name)), which is not a metric unit"
            )
        }
        throw error(.unknownUnit, at: t.start, UCUMUnknownSymbolHint.reason(for: symbol, table: table))
    }
}
