import FHIRElementModel

/// `htmlChecks()` (R4's txt-1): the narrative holds only the XHTML FHIR allows, with no
/// scripts, forms, event handlers or active content, and is not empty.
enum FHIRPathNarrative {
    private static let forbiddenElements = [
        "<script", "<object", "<embed", "<applet", "<iframe", "<form", "<input",
        "<button", "<frame", "<base", "<link", "<meta", "<style", "<head", "<body", "<html",
    ].map { Array($0.utf8) }
    private static let div = Array("<div".utf8)
    /// What may follow a tag's name (`<script>`, `<script/`, `<script src…`), unlike `<scripture`.
    private static let tagNameEnds = Array(" >/\n\t".utf8)
    private static let eventHandler = Array(" on".utf8)
    private static let javascript = Array("javascript:".utf8)

    static func isAcceptable(_ item: FHIRPathValue) -> Bool {
        guard var text = item.systemValue?.text ?? (item.text as String?) else { return false }
        return text.withUTF8(isAcceptable(bytes:))
    }

    /// One pass over the bytes. Tags, attributes and `javascript:` are ASCII, so they are
    /// compared in ASCII lower case, byte by byte; each check starts at the byte that opens it.
    private static func isAcceptable(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var hasDiv = false
        for index in bytes.indices {
            switch bytes[index] {
            case UInt8(ascii: "<"):
                if matches(div, bytes, at: index) { hasDiv = true }
                for element in forbiddenElements where matches(element, bytes, at: index) {
                    let next = index + element.count
                    guard next < bytes.count else { return false }
                    if tagNameEnds.contains(bytes[next]) { return false }
                }
            case UInt8(ascii: " "):
                // Event handler attributes (onclick=, onload=, …).
                guard matches(eventHandler, bytes, at: index) else { continue }
                var cursor = index + eventHandler.count
                while cursor < bytes.count, isLetter(lowercased(bytes[cursor])) { cursor += 1 }
                if cursor > index + eventHandler.count, cursor < bytes.count, bytes[cursor] == UInt8(ascii: "=") {
                    return false
                }
            case UInt8(ascii: "j"), UInt8(ascii: "J"):
                if matches(javascript, bytes, at: index) { return false }
            default:
                continue
            }
        }
        return hasDiv
    }

    /// Whether `pattern` (lower-case ASCII) is at `start` in `bytes`, in any case.
    private static func matches(_ pattern: [UInt8], _ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        guard bytes.count - start >= pattern.count else { return false }
        for offset in pattern.indices where lowercased(bytes[start + offset]) != pattern[offset] { return false }
        return true
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }

    /// A letter, or a byte of a non-ASCII character (which may be one).
    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || byte >= 0x80
    }
}
