import DecimalGrammar
import FHIRCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads JSON bytes into a ``JSONDocument`` in one pass, rejecting what FHIR JSON forbids at the
/// byte where it occurs: invalid UTF-8, bad escapes, control characters in strings, numbers
/// outside JSON's grammar (leading zeros, `NaN`, `+1`, `.5`), duplicate keys, and nesting past
/// the limit.
struct JSONScanner {
    /// A syntax-level failure: its kind, message and byte offset (the caller adds line/column).
    struct Failure: Error {
        var code: FHIRDiagnostic.Code
        var message: String
        var offset: Int
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private let maxDepth: Int
    /// Checked once per string token, when its closing quote is found (not per byte).
    private let maxStringBytes: Int
    private var position = 0
    private var nodes = NodeBuffer()

    private init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int, maxStringBytes: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
        self.maxStringBytes = maxStringBytes
    }

    /// Parses a whole document with a depth limit only (strings and size unbounded).
    static func parse(_ input: [UInt8], maxDepth: Int) throws(FHIRDiagnostic) -> JSONDocument {
        try parse(input, limits: FHIRReadLimits(maxRecordBytes: .max, maxDepth: maxDepth, maxStringBytes: .max))
    }

    /// Parses a whole document within `limits` (record size, depth, string length), reporting a
    /// failure as a ``FHIRDiagnostic`` with its line and column.
    static func parse(_ input: [UInt8], limits: FHIRReadLimits) throws(FHIRDiagnostic) -> JSONDocument {
        guard input.count <= limits.maxRecordBytes else {
            throw FHIRReadLimits.exceeded(
                .maxRecordBytes, value: limits.maxRecordBytes, "a JSON record of \(input.count) bytes is too large",
                location: SourceLocation(line: 1, column: 1, byteOffset: 0))
        }
        do {
            return try scan(input, limits: limits)
        } catch {
            let location = input.withUnsafeBytes { SourceLocation(byteOffset: error.offset, in: $0) }
            throw FHIRDiagnostic(code: error.code, message: error.message, location: location)
        }
    }

    /// Parses a whole document; exactly one value, surrounded by optional whitespace.
    private static func scan(_ input: [UInt8], limits: FHIRReadLimits) throws(Failure) -> JSONDocument {
        guard input.count < Int(UInt32.max) else {
            throw Failure(code: .tooLarge, message: "the JSON input is larger than 4 GiB", offset: 0)
        }
        let document = JSONDocument(bytes: input)
        let nodes = try input.withUnsafeBufferPointer { buffer throws(Failure) -> [JSONDocument.Node] in
            var scanner = JSONScanner(bytes: buffer, maxDepth: limits.maxDepth, maxStringBytes: limits.maxStringBytes)
            defer { scanner.nodes.deallocate() }
            if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { scanner.position = 3 }  // a UTF-8 byte order mark
            scanner.skipWhitespace()
            guard scanner.position < buffer.count else {
                throw Failure(code: .syntax, message: "the input is empty: expected a JSON object", offset: 0)
            }
            try scanner.scanValue(depth: 1)
            scanner.skipWhitespace()
            if scanner.position < buffer.count {
                throw Failure(
                    code: .syntax,
                    message: "unexpected \(scanner.describeByte()) after the end of the JSON value",
                    offset: scanner.position)
            }
            return scanner.nodes.array
        }
        document.nodes = nodes
        return document
    }

    // MARK: Values

    private mutating func scanValue(depth: Int) throws(Failure) {
        guard position < bytes.count else { throw unexpectedEnd("a value") }
        switch bytes[position] {
        case UInt8(ascii: "{"): try scanObject(depth: depth)
        case UInt8(ascii: "["): try scanArray(depth: depth)
        case UInt8(ascii: "\""): try scanString()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try scanNumber()
        case UInt8(ascii: "t"): try scanWord("true", kind: .true)
        case UInt8(ascii: "f"): try scanWord("false", kind: .false)
        case UInt8(ascii: "n"): try scanWord("null", kind: .null)
        case UInt8(ascii: "N"), UInt8(ascii: "I"), UInt8(ascii: "+"), UInt8(ascii: "."):
            throw Failure(
                code: .invalidNumber,
                message: "\(describeWord()) is not a JSON number (FHIR allows no NaN, Infinity, '+' or a bare '.')",
                offset: position)
        default:
            throw Failure(code: .syntax, message: "unexpected \(describeByte()): expected a value", offset: position)
        }
    }

    private mutating func scanObject(depth: Int) throws(Failure) {
        try checkDepth(depth)
        let index = nodes.count
        nodes.append(JSONDocument.Node(kind: .object, offset: position))
        position += 1
        skipWhitespace()
        var count = 0
        // One bit per key, by a hash of its bytes: a key whose bit is still clear repeats no
        // earlier key, so the comparison with every earlier key (`checkDuplicate`) runs only on
        // a hash collision, and for every key once a key with escapes was seen (its bytes do not
        // show the name it stands for).
        var keyBits: UInt64 = 0
        var escapedKeySeen = false
        if peek() == UInt8(ascii: "}") {
            position += 1
        } else {
            while true {
                skipWhitespace()
                guard peek() == UInt8(ascii: "\"") else {
                    throw Failure(
                        code: .syntax, message: "expected a quoted key, found \(describeByte())", offset: position)
                }
                let keyIndex = nodes.count
                try scanString()
                let key = nodes[keyIndex]
                let bit = keyBit(key)
                escapedKeySeen = escapedKeySeen || key.hasEscapes
                if escapedKeySeen || keyBits & bit != 0 { try checkDuplicate(keyIndex, inObjectAt: index) }
                keyBits |= bit
                skipWhitespace()
                guard peek() == UInt8(ascii: ":") else {
                    throw Failure(
                        code: .syntax, message: "expected ':' after a key, found \(describeByte())", offset: position)
                }
                position += 1
                skipWhitespace()
                try scanValue(depth: depth + 1)
                count += 1
                skipWhitespace()
                if peek() == UInt8(ascii: ",") {
                    position += 1
                    continue
                }
                guard peek() == UInt8(ascii: "}") else {
                    throw Failure(
                        code: .syntax, message: "expected ',' or '}' in an object, found \(describeByte())",
                        offset: position)
                }
                position += 1
                break
            }
        }
        nodes[index].count = count
        nodes[index].end = nodes.count
    }

    private mutating func scanArray(depth: Int) throws(Failure) {
        try checkDepth(depth)
        let index = nodes.count
        nodes.append(JSONDocument.Node(kind: .array, offset: position))
        position += 1
        skipWhitespace()
        var count = 0
        if peek() == UInt8(ascii: "]") {
            position += 1
        } else {
            while true {
                skipWhitespace()
                try scanValue(depth: depth + 1)
                count += 1
                skipWhitespace()
                if peek() == UInt8(ascii: ",") {
                    position += 1
                    continue
                }
                guard peek() == UInt8(ascii: "]") else {
                    throw Failure(
                        code: .syntax, message: "expected ',' or ']' in an array, found \(describeByte())",
                        offset: position)
                }
                position += 1
                break
            }
        }
        nodes[index].count = count
        nodes[index].end = nodes.count
    }

    private func checkDepth(_ depth: Int) throws(Failure) {
        if depth > maxDepth {
            throw Failure(
                code: .tooDeep,
                message: "nesting deeper than \(maxDepth) levels \(FHIRReadLimits.hint(.maxDepth, value: maxDepth))",
                offset: position)
        }
    }

    // MARK: Strings

    private mutating func scanString() throws(Failure) {
        let start = position + 1
        position = start
        var hasEscapes = false
        let base = bytes.baseAddress!, end = bytes.count
        while true {
            // Plain ASCII needs no checks beyond these; the switch below takes the rest. Eight
            // bytes at a time while none is a quote, a backslash, a control or a non-ASCII byte;
            // in the word that has one, its lowest flag marks the first such byte exactly (the
            // tricks' false flags only ever sit above a true one), so no byte-by-byte tail.
            var cursor = position
            while cursor + 8 <= end {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + cursor).loadUnaligned(as: UInt64.self))
                let special =
                    SWAR.hasByte(word, 0x22) | SWAR.hasByte(word, 0x5C) | SWAR.hasByteBelow(word, 0x20)
                    | (word & 0x8080_8080_8080_8080)
                if special != 0 {
                    cursor += special.trailingZeroBitCount &>> 3
                    break
                }
                cursor += 8
            }
            if cursor + 8 > end {
                // The input's last bytes, fewer than eight: one at a time.
                while cursor < end {
                    let byte = base[cursor]
                    if byte < 0x20 || byte >= 0x80 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { break }
                    cursor += 1
                }
            }
            position = cursor
            guard position < bytes.count else { throw unexpectedEnd("a closing '\"'") }
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                if position - start > maxStringBytes {
                    throw Failure(
                        code: .tooLarge,
                        message: "a string of \(position - start) bytes is too long "
                            + FHIRReadLimits.hint(.maxStringBytes, value: maxStringBytes),
                        offset: start - 1)
                }
                nodes.append(
                    JSONDocument.Node(
                        kind: .string, hasEscapes: hasEscapes, offset: start, length: position - start,
                        end: nodes.count + 1))
                position += 1
                return
            case UInt8(ascii: "\\"):
                hasEscapes = true
                try scanEscape()
            case 0x00..<0x20:
                throw Failure(
                    code: .invalidEscape,
                    message: "control character U+\(hex(byte)) inside a string must be escaped",
                    offset: position)
            case 0x80...:
                try scanMultibyte()
            default:
                position += 1
            }
        }
    }

    private mutating func scanEscape() throws(Failure) {
        let escapeStart = position
        guard position + 1 < bytes.count else { throw unexpectedEnd("an escape") }
        switch bytes[position + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "n"), UInt8(ascii: "r"),
            UInt8(ascii: "t"):
            position += 2
        case UInt8(ascii: "b"), UInt8(ascii: "f"):
            throw Self.notText(bytes[position + 1] == UInt8(ascii: "b") ? 0x08 : 0x0C, offset: escapeStart)
        case UInt8(ascii: "u"):
            let code = try hex4(at: position + 2, escapeStart: escapeStart)
            position += 6
            if code < 0x20 && code != 0x09 && code != 0x0A && code != 0x0D || code == 0xFFFE || code == 0xFFFF {
                throw Self.notText(code, offset: escapeStart)
            }
            if (0xDC00...0xDFFF).contains(code) {
                throw Failure(
                    code: .invalidEscape, message: "\\u\(hex16(code)) is a lone low surrogate", offset: escapeStart)
            }
            if (0xD800...0xDBFF).contains(code) {
                guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                    bytes[position + 1] == UInt8(ascii: "u")
                else {
                    throw Failure(
                        code: .invalidEscape,
                        message: "\\u\(hex16(code)) is a high surrogate without a low surrogate after it",
                        offset: escapeStart)
                }
                let low = try hex4(at: position + 2, escapeStart: position)
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw Failure(
                        code: .invalidEscape,
                        message: "\\u\(hex16(code)) is followed by \\u\(hex16(low)), not a low surrogate",
                        offset: escapeStart)
                }
                position += 6
            }
        default:
            let found = String(decoding: [bytes[position + 1]], as: UTF8.self)
            throw Failure(
                code: .invalidEscape,
                message: "'\\\(found)' is not a JSON escape (use \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)",
                offset: escapeStart)
        }
    }

    private func hex4(at start: Int, escapeStart: Int) throws(Failure) -> UInt32 {
        var value: UInt32 = 0
        for offset in 0..<4 {
            guard start + offset < bytes.count, let digit = JSONEscapes.hexValue(bytes[start + offset]) else {
                throw Failure(
                    code: .invalidEscape, message: "\\u must be followed by four hex digits", offset: escapeStart)
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// Validates one UTF-8 sequence of two to four bytes (no overlongs, no surrogates, ≤ U+10FFFF).
    private mutating func scanMultibyte() throws(Failure) {
        let lead = bytes[position]
        let length: Int
        var lowerBound: UInt8 = 0x80
        var upperBound: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lowerBound = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upperBound = 0x9F
        case 0xF0: length = 4; lowerBound = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upperBound = 0x8F
        default: throw invalidUTF8()
        }
        guard position + length <= bytes.count else { throw invalidUTF8() }
        let second = bytes[position + 1]
        guard second >= lowerBound && second <= upperBound else { throw invalidUTF8() }
        for offset in 2..<max(length, 2) where bytes[position + offset] & 0xC0 != 0x80 {
            throw invalidUTF8()
        }
        if lead == 0xEF && second == 0xBF && bytes[position + 2] >= 0xBE {
            throw Self.notText(bytes[position + 2] == 0xBE ? 0xFFFE : 0xFFFF, offset: position)
        }
        position += length
    }

    /// FHIR strings are text that XML 1.0 can carry too: no control characters but tab, line
    /// feed and carriage return (FHIR R4 "string"), and not the non-characters U+FFFE and U+FFFF.
    /// Refusing them here keeps every resource that reads from JSON writable as XML.
    private static func notText(_ code: UInt32, offset: Int) -> Failure {
        let name = String(code, radix: 16, uppercase: true)
        let written = "U+" + String(repeating: "0", count: max(0, 4 - name.count)) + name
        let why =
            code < 0x20
            ? "a control character; FHIR strings hold none but tab, line feed and carriage return"
            : "not a character; FHIR strings must be text XML can carry"
        return Failure(code: .invalidEscape, message: "\(written) is \(why)", offset: offset)
    }

    private func invalidUTF8() -> Failure {
        Failure(
            code: .invalidUTF8, message: "invalid UTF-8 byte 0x\(hex(bytes[position])) in a string", offset: position)
    }

    /// A key's bit for the duplicate filter in `scanObject`: from its length and its first and
    /// last bytes, which tell FHIR's names apart well enough.
    @inline(__always) private func keyBit(_ key: JSONDocument.Node) -> UInt64 {
        guard key.length > 0 else { return 1 }
        let first = Int(bytes[key.offset]), last = Int(bytes[key.offset + key.length - 1])
        return 1 << UInt64((key.length &* 7 &+ first &+ last &* 3) & 63)
    }

    /// Compares the key just read with the object's earlier keys, found by walking the nodes
    /// (key, value subtree, key, …) from the object's first member.
    private mutating func checkDuplicate(_ keyIndex: Int, inObjectAt objectIndex: Int) throws(Failure) {
        let key = nodes[keyIndex]
        var other = objectIndex + 1
        while other < keyIndex {
            let candidate = nodes[other]
            other = nodes[other + 1].end
            let same: Bool
            if key.hasEscapes || candidate.hasEscapes {
                same = unescaped(key) == unescaped(candidate)
            } else {
                same =
                    key.length == candidate.length
                    && memcmp(bytes.baseAddress! + key.offset, bytes.baseAddress! + candidate.offset, key.length) == 0
            }
            if same {
                let name = unescaped(key)
                throw Failure(
                    code: .duplicateKey, message: "duplicate key '\(name)' in one object", offset: key.offset - 1)
            }
        }
    }

    private func unescaped(_ node: JSONDocument.Node) -> String {
        let slice = UnsafeBufferPointer(rebasing: bytes[node.offset..<(node.offset + node.length)])
        return node.hasEscapes ? JSONEscapes.unescape(slice) : String(decoding: slice, as: UTF8.self)
    }

    // MARK: Numbers and words

    /// A number in FHIR's decimal grammar, which is JSON's (``DecimalGrammar``).
    private mutating func scanNumber() throws(Failure) {
        let start = position
        switch DecimalGrammar.scan(bytes, from: start) {
        case .success(let number):
            position = number.end
        case .failure(let failure):
            let message =
                switch failure.reason {
                case .expectedDigit: "'-' must be followed by a digit"
                case .leadingZero: "\(describeWord(from: start)) has a leading zero, which JSON and FHIR forbid"
                case .expectedFractionDigit: "a digit must follow the decimal point"
                case .expectedExponentDigit: "an exponent needs digits"
                }
            throw Failure(code: .invalidNumber, message: message, offset: start)
        }
        nodes.append(JSONDocument.Node(kind: .number, offset: start, length: position - start, end: nodes.count + 1))
    }

    private mutating func scanWord(_ word: StaticString, kind: JSONDocument.Kind) throws(Failure) {
        let count = word.utf8CodeUnitCount
        let matches =
            position + count <= bytes.count
            && word.withUTF8Buffer { expected in
                expected.elementsEqual(bytes[position..<(position + count)])
            }
        guard matches else {
            throw Failure(code: .syntax, message: "\(describeWord()) is not a JSON value", offset: position)
        }
        nodes.append(JSONDocument.Node(kind: kind, offset: position, end: nodes.count + 1))
        position += count
    }

    // MARK: Bytes

    @inline(__always) private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipWhitespace() {
        while let byte = peek(),
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
                || byte == UInt8(ascii: "\t")
        {
            position += 1
        }
    }

    private func unexpectedEnd(_ expected: String) -> Failure {
        Failure(code: .syntax, message: "unexpected end of input: expected \(expected)", offset: bytes.count)
    }

    private func describeByte() -> String {
        guard let byte = peek() else { return "end of input" }
        if byte >= 0x20 && byte < 0x7F { return "'\(String(decoding: [byte], as: UTF8.self))'" }
        return "byte 0x\(hex(byte))"
    }

    /// The run of letters, digits and signs at `start`, quoted, for messages (`'NaN'`, `'01'`).
    private func describeWord(from start: Int? = nil) -> String {
        let from = start ?? position
        var end = from
        while end < bytes.count, end - from < 24 {
            let byte = bytes[end]
            let isWordByte =
                (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || (byte | 0x20 >= UInt8(ascii: "a")
                    && byte | 0x20 <= UInt8(ascii: "z"))
                || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: ".")
            guard isWordByte else { break }
            end += 1
        }
        return "'\(String(decoding: bytes[from..<max(end, from + 1)], as: UTF8.self))'"
    }

    private func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }

    private func hex16(_ value: UInt32) -> String {
        hex(UInt8(value >> 8)) + hex(UInt8(value & 0xFF))
    }
}

/// Tests on eight bytes at once ("SIMD within a register"); each is exact about whether any byte
/// matches, which is all the scanners ask before looking byte by byte.
enum SWAR {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Non-zero when some byte of `word` equals `byte`.
    @inline(__always) static func hasByte(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let x = word ^ (ones &* UInt64(byte))
        return (x &- ones) & ~x & highs
    }

    /// Non-zero when some byte of `word` is below `limit` (at most 128).
    @inline(__always) static func hasByteBelow(_ word: UInt64, _ limit: UInt8) -> UInt64 {
        (word &- ones &* UInt64(limit)) & ~word & highs
    }
}

/// The scanner's growing node list in raw memory: appending costs a store (an array would
/// check its uniqueness on every append), and the document gets an array copy at the end.
private struct NodeBuffer {
    private var base: UnsafeMutablePointer<JSONDocument.Node>
    private var capacity = 256
    private(set) var count = 0

    init() { base = .allocate(capacity: capacity) }

    mutating func deallocate() { base.deallocate() }

    @inline(__always) mutating func append(_ node: JSONDocument.Node) {
        if count == capacity {
            let grown = UnsafeMutablePointer<JSONDocument.Node>.allocate(capacity: capacity * 2)
            grown.moveInitialize(from: base, count: count)
            base.deallocate()
            base = grown
            capacity *= 2
        }
        (base + count).initialize(to: node)
        count += 1
    }

    @inline(__always) subscript(index: Int) -> JSONDocument.Node {
        get { base[index] }
        set { base[index] = newValue }
    }

    var array: [JSONDocument.Node] { Array(UnsafeBufferPointer(start: base, count: count)) }
}
