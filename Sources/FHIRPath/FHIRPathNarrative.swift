import FHIRElementModel

/// `htmlChecks()` (R4's txt-1): the narrative holds only the XHTML FHIR allows, with no
/// scripts, forms, event handlers or active content, and is not empty.
enum FHIRPathNarrative {
    private static let forbiddenElements = [
        "<script", "<object", "<embed", "<applet", "<iframe", "<form", "<input",
        "<button", "<frame", "<base", "<link", "<meta", "<style", "<head", "<body", "<html",
    ].map { Array($0.utf8) }
    private static let div = Array("<div".utf8)
    private static let eventHandler = Array(" on".utf8)
    private static let javascript = Array("javascript:".utf8)

    static func isAcceptable(_ item: FHIRPathValue) -> Bool {
        guard let text = item.systemValue?.text ?? (item.text as String?) else { return false }
        // Tags, attributes and `javascript:` are ASCII: compared in ASCII lower case, byte by byte.
        let lower = text.utf8.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 }
        guard find(div, in: lower, from: 0) != nil else { return false }
        for element in forbiddenElements {
            var start = 0
            while let found = find(element, in: lower, from: start) {
                let next = found + element.count
                let after = next < lower.count ? lower[next] : nil
                if after == nil || after == UInt8(ascii: " ") || after == UInt8(ascii: ">")
                    || after == UInt8(ascii: "/")
                    || after == UInt8(ascii: "\n") || after == UInt8(ascii: "\t")
                {
                    return false
                }
                start = found + 1
            }
        }
        // Event handler attributes (onclick=, onload=, …).
        var start = 0
        while let found = find(eventHandler, in: lower, from: start) {
            var cursor = found + 3
            while cursor < lower.count, isLetter(lower[cursor]) { cursor += 1 }
            if cursor > found + 3, cursor < lower.count, lower[cursor] == UInt8(ascii: "=") { return false }
            start = found + 1
        }
        return find(javascript, in: lower, from: 0) == nil
    }

    /// A letter, or a byte of a non-ASCII character (which may be one).
    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || byte >= 0x80
    }

    /// The first position at or after `start` where `pattern` (ASCII) occurs in `text`.
    private static func find(_ pattern: [UInt8], in text: [UInt8], from start: Int) -> Int? {
        guard let first = pattern.first, pattern.count <= text.count, start <= text.count - pattern.count else {
            return nil
        }
        var index = start
        let last = text.count - pattern.count
        while index <= last {
            if text[index] == first {
                var matched = 1
                while matched < pattern.count, text[index + matched] == pattern[matched] { matched += 1 }
                if matched == pattern.count { return index }
            }
            index += 1
        }
        return nil
    }
}
