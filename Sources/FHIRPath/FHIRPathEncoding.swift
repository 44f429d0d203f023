/// `encode`/`decode` (base64, urlbase64, hex) and `escape`/`unescape` (html, json).
enum FHIRPathEncoding {
    private static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ text: String, _ format: String) -> String? {
        let bytes = Array(text.utf8)
        switch format {
        case "hex":
            let digits = Array("0123456789abcdef".utf8)
            return String(decoding: bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] }, as: UTF8.self)
        case "base64", "urlbase64":
            var output: [UInt8] = []
            var index = 0
            while index < bytes.count {
                let chunk = Array(bytes[index..<min(index + 3, bytes.count)])
                let value =
                    (UInt32(chunk[0]) << 16) | (chunk.count > 1 ? UInt32(chunk[1]) << 8 : 0)
                    | (chunk.count > 2 ? UInt32(chunk[2]) : 0)
                for position in 0..<4 {
                    if position <= chunk.count {
                        output.append(base64Alphabet[Int((value >> (18 - 6 * UInt32(position))) & 63)])
                    } else {
                        output.append(UInt8(ascii: "="))
                    }
                }
                index += 3
            }
            var result = String(decoding: output, as: UTF8.self)
            if format == "urlbase64" {
                result = String(result.map { $0 == "+" ? "-" : ($0 == "/" ? "_" : $0) })
            }
            return result
        default:
            return nil
        }
    }

    static func decode(_ text: String, _ format: String) -> String? {
        switch format {
        case "hex":
            let chars = Array(text.utf8)
            guard chars.count % 2 == 0 else { return nil }
            var bytes: [UInt8] = []
            for index in stride(from: 0, to: chars.count, by: 2) {
                guard let high = hexValue(chars[index]), let low = hexValue(chars[index + 1]) else { return nil }
                bytes.append(high << 4 | low)
            }
            return String(validating: bytes, as: UTF8.self)
        case "base64", "urlbase64":
            var bits: UInt32 = 0
            var count = 0
            var bytes: [UInt8] = []
            for c in text.utf8 {
                if c == UInt8(ascii: "=") { break }
                let mapped: UInt8 =
                    c == UInt8(ascii: "-") ? UInt8(ascii: "+") : (c == UInt8(ascii: "_") ? UInt8(ascii: "/") : c)
                guard let value = base64Alphabet.firstIndex(of: mapped) else { return nil }
                bits = bits << 6 | UInt32(value)
                count += 6
                if count >= 8 {
                    count -= 8
                    bytes.append(UInt8((bits >> UInt32(count)) & 0xFF))
                }
            }
            return String(validating: bytes, as: UTF8.self)
        default:
            return nil
        }
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 97...102: return c - 87
        case 65...70: return c - 55
        default: return nil
        }
    }

    static func escape(_ text: String, _ format: String) -> String? {
        switch format {
        case "html":
            var result = ""
            for c in text {
                switch c {
                case "<": result += "&lt;"
                case ">": result += "&gt;"
                case "&": result += "&amp;"
                case "\"": result += "&quot;"
                case "'": result += "&#39;"
                default: result.append(c)
                }
            }
            return result
        case "json":
            var result = ""
            for c in text {
                switch c {
                case "\"": result += "\\\""
                case "\\": result += "\\\\"
                case "\n": result += "\\n"
                case "\r": result += "\\r"
                case "\t": result += "\\t"
                default: result.append(c)
                }
            }
            return result
        default:
            return nil
        }
    }

    static func unescape(_ text: String, _ format: String) -> String? {
        switch format {
        case "html":
            var result = text
            for (entity, character) in [
                ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&apos;", "'"), ("&amp;", "&"),
            ] {
                result = result.split(separator: entity, omittingEmptySubsequences: false).joined(separator: character)
            }
            return result
        case "json":
            var result = ""
            var escaping = false
            for c in text {
                if escaping {
                    switch c {
                    case "n": result += "\n"
                    case "r": result += "\r"
                    case "t": result += "\t"
                    default: result.append(c)
                    }
                    escaping = false
                } else if c == "\\" {
                    escaping = true
                } else {
                    result.append(c)
                }
            }
            return result
        default:
            return nil
        }
    }
}
