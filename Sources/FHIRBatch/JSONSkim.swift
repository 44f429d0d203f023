/// Structural skimming of JSON bytes held in memory: where a value ends and what a top-level
/// key holds, without building anything. Used to tell NDJSON from a JSON document and a Bundle
/// from another resource by looking at the start of an input; full checking is the decoder's job.
struct JSONSkim {
    let bytes: [UInt8]

    /// The index just past the JSON value starting at `start` (after whitespace), or nil when
    /// the value does not end within `bytes[..<limit]` or is not well nested.
    func endOfValue(from start: Int, limit: Int? = nil) -> Int? {
        let end = min(limit ?? bytes.count, bytes.count)
        var index = skipWhitespace(from: start, limit: end)
        guard index < end else { return nil }
        var depth = 0
        repeat {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                guard let after = endOfString(from: index, limit: end) else { return nil }
                index = after
                if depth == 0 { return index }
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth < 0 { return nil }
                if depth == 0 { return index + 1 }
            default:
                if depth == 0 {  // a number or literal: up to the next delimiter
                    while index < end, !Self.isDelimiter(bytes[index]) { index += 1 }
                    return index
                }
            }
            index += 1
        } while index < end
        return nil
    }

    /// The index just past the string whose opening quote is at `start`, or nil if it does not end.
    func endOfString(from start: Int, limit: Int) -> Int? {
        var index = start + 1
        while index < limit {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""): return index + 1
            default: index += 1
            }
        }
        return nil
    }

    /// The string value of `key` among the members of the top-level object starting at `start`,
    /// when it appears within the bytes; nil when absent, not a string, or beyond the bytes.
    func topLevelString(forKey key: String, objectStart start: Int) -> String? {
        var index = skipWhitespace(from: start, limit: bytes.count)
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return nil }
        index += 1
        while true {
            index = skipWhitespace(from: index, limit: bytes.count)
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\""),
                let keyEnd = endOfString(from: index, limit: bytes.count)
            else { return nil }
            let name = bytes[(index + 1)..<(keyEnd - 1)]
            index = skipWhitespace(from: keyEnd, limit: bytes.count)
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
            let valueStart = skipWhitespace(from: index + 1, limit: bytes.count)
            guard let valueEnd = endOfValue(from: valueStart) else { return nil }
            if name.elementsEqual(key.utf8) {
                guard bytes[valueStart] == UInt8(ascii: "\"") else { return nil }
                return String(decoding: bytes[(valueStart + 1)..<(valueEnd - 1)], as: UTF8.self)
            }
            index = skipWhitespace(from: valueEnd, limit: bytes.count)
            guard index < bytes.count, bytes[index] == UInt8(ascii: ",") else { return nil }
            index += 1
        }
    }

    func skipWhitespace(from start: Int, limit: Int) -> Int {
        var index = start
        while index < limit, Self.isWhitespace(bytes[index]) { index += 1 }
        return index
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    static func isDelimiter(_ byte: UInt8) -> Bool {
        isWhitespace(byte) || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]")
    }
}
