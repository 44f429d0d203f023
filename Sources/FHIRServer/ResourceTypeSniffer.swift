/// The resource type a body names, read without decoding it: for `POST /{type}/$validate` (the
/// body must be of that type) and to tell a `Parameters` body from a resource. Decoding is left
/// to the readers, which report what is wrong with a body this does not understand.
enum ResourceTypeSniffer {
    /// The top-level `resourceType` of a JSON object, or the root element's name in XML.
    static func resourceType(of bytes: [UInt8], syntax: ResourceSyntax) -> String? {
        syntax == .xml ? xmlRoot(bytes) : jsonResourceType(bytes)
    }

    private static let quote = UInt8(ascii: "\"")
    private static let key = Array("resourceType".utf8)

    /// The `resourceType` member of the outermost object (members of nested objects skipped).
    private static func jsonResourceType(_ bytes: [UInt8]) -> String? {
        var depth = 0
        var index = 0
        var expectingKey = false
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                expectingKey = byte == UInt8(ascii: "{")
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth <= 0 { return nil }
            case UInt8(ascii: ","):
                expectingKey = true
            case quote:
                guard let end = stringEnd(bytes, from: index + 1) else { return nil }
                if depth == 1 && expectingKey && bytes[(index + 1)..<end].elementsEqual(key) {
                    var next = end + 1
                    while next < bytes.count,
                        bytes[next] == 0x20 || bytes[next] == 0x09 || bytes[next] == 0x0A
                            || bytes[next] == 0x0D || bytes[next] == UInt8(ascii: ":")
                    { next += 1 }
                    guard next < bytes.count, bytes[next] == quote, let valueEnd = stringEnd(bytes, from: next + 1)
                    else { return nil }
                    return String(decoding: bytes[(next + 1)..<valueEnd], as: UTF8.self)
                }
                expectingKey = false
                index = end
            default:
                break
            }
            index += 1
        }
        return nil
    }

    /// The index of the quote closing a string whose content starts at `start`.
    private static func stringEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        var index = start
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if bytes[index] == quote { return index }
            index += 1
        }
        return nil
    }

    /// The local name of the first element (declarations, comments and a doctype skipped).
    private static func xmlRoot(_ bytes: [UInt8]) -> String? {
        var index = 0
        while let open = bytes[index...].firstIndex(of: UInt8(ascii: "<")) {
            let next = open + 1
            guard next < bytes.count else { return nil }
            if bytes[next] == UInt8(ascii: "?") || bytes[next] == UInt8(ascii: "!") {
                guard let close = bytes[next...].firstIndex(of: UInt8(ascii: ">")) else { return nil }
                index = close + 1
                continue
            }
            var end = next
            while end < bytes.count, !" \t\r\n/>".utf8.contains(bytes[end]) { end += 1 }
            let name = bytes[next..<end]
            let local = name.lastIndex(of: UInt8(ascii: ":")).map { name[($0 + 1)...] } ?? name
            return String(decoding: local, as: UTF8.self)
        }
        return nil
    }
}
