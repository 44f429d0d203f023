public import FHIRCore

/// Detects an input's layout from its first bytes.
///
/// - `<` (after a byte order mark, whitespace, the XML declaration and comments): FHIR XML; a
///   Bundle when the root element is `Bundle`.
/// - `{`: JSON. It is **NDJSON** when the first line holds a complete JSON value and more content
///   follows on later lines, or when the first line is broken and the next holds one whole JSON
///   object (an NDJSON file whose first record is broken). Otherwise it is one JSON document (a pretty-printed
///   resource starts with a line holding only `{`), a Bundle when its top-level `resourceType`
///   is `Bundle`.
/// - Anything else on the first line (an XML fragment, a bare JSON string, binary garbage) is
///   **NDJSON** when the next non-empty line is a whole JSON object on its own: a batch whose
///   first record is broken, which must not cost the records after it. (No FHIR XML document
///   has a line that is a JSON object.)
/// - A single complete line is a JSON document, unless the file is named `*.ndjson`/`*.jsonl`;
///   an empty input is NDJSON (no records) when so named and unusable otherwise. The name is
///   only a tie-breaker; `--from` overrides detection.
public enum LayoutDetector {
    /// How many bytes detection looks at.
    public static let headSize = 256 << 10

    /// The layout of an input whose first bytes are `head`.
    /// - Parameters:
    ///   - head: the first bytes (up to ``headSize``).
    ///   - isWholeInput: whether `head` is the whole input.
    ///   - fileExtension: the input's lowercased file extension, if any.
    /// - Throws: ``FHIRDiagnostic`` when the input is empty or neither JSON nor XML.
    public static func detect(head: [UInt8], isWholeInput: Bool, fileExtension: String?) throws(FHIRDiagnostic) -> InputLayout {
        let namedNDJSON = fileExtension == "ndjson" || fileExtension == "jsonl"
        let start = firstSignificantByte(head)
        guard start < head.count else {
            if namedNDJSON { return .ndjson }
            throw FHIRDiagnostic(code: .syntax, message: "the input is empty",
                                 location: SourceLocation(line: 1, column: 1, byteOffset: 0))
        }
        switch head[start] {
        case UInt8(ascii: "<"):
            if nextLineIsJSONObject(head, start: start) { return .ndjson }
            return xmlLayout(head)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            if looksLikeNDJSON(head, start: start, isWholeInput: isWholeInput, namedNDJSON: namedNDJSON) { return .ndjson }
            return jsonLayout(head)
        default:
            if nextLineIsJSONObject(head, start: start) { return .ndjson }
            throw FHIRDiagnostic(
                code: .syntax,
                message: "the input is neither FHIR JSON (starting with '{') nor FHIR XML (starting with '<')",
                location: SourceLocation(line: 1, column: 1, byteOffset: 0))
        }
    }

    /// The layout for a declared JSON document: a Bundle or another resource.
    public static func jsonLayout(_ head: [UInt8]) -> InputLayout {
        let skim = JSONSkim(bytes: head)
        return skim.topLevelString(forKey: "resourceType", objectStart: firstSignificantByte(head)) == "Bundle"
            ? .jsonBundle : .jsonResource
    }

    /// The layout for a declared XML document: a Bundle when the root element is `Bundle`.
    public static func xmlLayout(_ head: [UInt8]) -> InputLayout {
        rootElementName(head) == "Bundle" ? .xmlBundle : .xmlResource
    }

    private static func looksLikeNDJSON(_ head: [UInt8], start: Int, isWholeInput: Bool, namedNDJSON: Bool) -> Bool {
        let skim = JSONSkim(bytes: head)
        let lineEnd = head[start...].firstIndex(of: UInt8(ascii: "\n")) ?? head.count
        if let valueEnd = skim.endOfValue(from: start, limit: lineEnd) {
            // The first line is complete. More content after it means several lines of records.
            let rest = skim.skipWhitespace(from: valueEnd, limit: head.count)
            if rest < head.count { return true }
            return namedNDJSON || !isWholeInput
        }
        if lineEnd == head.count { return namedNDJSON }  // a first line longer than the head
        // A broken first line: NDJSON if the next non-empty line also starts a record.
        var index = lineEnd + 1
        while index < head.count, JSONSkim.isWhitespace(head[index]) {
            if head[index] == UInt8(ascii: "\n") {
                index += 1
                continue
            }
            // Indentation: a pretty-printed document, not a record per line.
            return false
        }
        guard index < head.count, head[index] == UInt8(ascii: "{") else { return false }
        // …and is a whole object on its line (a JSON document laid out one entry per line has
        // lines starting with `{` that are not), unless that line runs past the head.
        return nextLineIsJSONObject(head, start: start) || !head[index...].contains(UInt8(ascii: "\n"))
    }

    /// Whether the next non-empty line after the one at `start` holds exactly one JSON object.
    private static func nextLineIsJSONObject(_ head: [UInt8], start: Int) -> Bool {
        guard let firstEnd = head[start...].firstIndex(of: UInt8(ascii: "\n")) else { return false }
        let skim = JSONSkim(bytes: head)
        let next = skim.skipWhitespace(from: firstEnd + 1, limit: head.count)
        guard next < head.count, head[next] == UInt8(ascii: "{") else { return false }
        let lineEnd = head[next...].firstIndex(of: UInt8(ascii: "\n")) ?? head.count
        guard let valueEnd = skim.endOfValue(from: next, limit: lineEnd) else { return false }
        return skim.skipWhitespace(from: valueEnd, limit: lineEnd) == lineEnd
    }

    private static func firstSignificantByte(_ head: [UInt8]) -> Int {
        var index = head.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while index < head.count, JSONSkim.isWhitespace(head[index]) { index += 1 }
        return index
    }

    /// The local name of the root element, skipping the declaration, comments and processing
    /// instructions; nil when not found in `head` (or when a DOCTYPE comes first, which the
    /// decoder refuses with its own message).
    static func rootElementName(_ head: [UInt8]) -> String? {
        var index = firstSignificantByte(head)
        while index < head.count {
            guard head[index] == UInt8(ascii: "<"), index + 1 < head.count else { return nil }
            let next = head[index + 1]
            if next == UInt8(ascii: "?") {
                guard let end = find([UInt8]("?>".utf8), in: head, from: index) else { return nil }
                index = end + 2
            } else if head[index...].starts(with: "<!--".utf8) {
                guard let end = find([UInt8]("-->".utf8), in: head, from: index) else { return nil }
                index = end + 3
            } else if next == UInt8(ascii: "!") {
                return nil
            } else {
                var end = index + 1
                while end < head.count, !JSONSkim.isWhitespace(head[end]),
                      head[end] != UInt8(ascii: ">"), head[end] != UInt8(ascii: "/") { end += 1 }
                var name = head[(index + 1)..<end]
                if let colon = name.firstIndex(of: UInt8(ascii: ":")) { name = name[(colon + 1)...] }
                return String(decoding: name, as: UTF8.self)
            }
            while index < head.count, JSONSkim.isWhitespace(head[index]) { index += 1 }
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        var index = start
        while index + needle.count <= bytes.count {
            if bytes[index] == needle[0] && bytes[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}

extension LayoutDetector {
    /// Whether `head` starts (after a byte order mark and spaces) with JSON and holds no line
    /// break after it: its first line is not yet whole.
    static func startsJSONLine(_ head: [UInt8]) -> Bool {
        let start = firstSignificantByte(head)
        guard start < head.count, head[start] == UInt8(ascii: "{") || head[start] == UInt8(ascii: "[") else { return false }
        return !head[start...].contains(UInt8(ascii: "\n"))
    }

    /// Whether `head` is enough to decide, so reading standard input need not wait for more:
    /// XML once the root element is seen; JSON once two lines have started (or `resourceType`
    /// is among the first bytes of a document).
    static func isConclusive(_ head: [UInt8]) -> Bool {
        let start = head.firstIndex { !JSONSkim.isWhitespace($0) && $0 != 0xEF && $0 != 0xBB && $0 != 0xBF }
        guard let start else { return false }
        switch head[start] {
        case UInt8(ascii: "<"):
            return rootElementName(head) != nil
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard let firstBreak = head[start...].firstIndex(of: UInt8(ascii: "\n")) else { return false }
            let rest = head[(firstBreak + 1)...]
            guard rest.contains(where: { !JSONSkim.isWhitespace($0) }) else { return false }
            return JSONSkim(bytes: head).endOfValue(from: start, limit: firstBreak) != nil
                || JSONSkim(bytes: head).topLevelString(forKey: "resourceType", objectStart: start) != nil
                || rest.contains(UInt8(ascii: "\n"))
        default:
            // Broken, unless the next line shows NDJSON: wait for it to be whole.
            return head[start...].lazy.filter { $0 == UInt8(ascii: "\n") }.count >= 2
        }
    }
}
