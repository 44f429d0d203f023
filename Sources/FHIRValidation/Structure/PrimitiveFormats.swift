/// The R4 formats of FHIR's string-valued primitive types, checked byte by byte (the
/// specification gives them as regular expressions; `date`, `dateTime`, `decimal` and the
/// other typed primitives are already checked when a resource is decoded).
enum PrimitiveFormats {
    /// Why `text` is not a valid value of FHIR type `type`, or `nil` when it is (or the type
    /// has no format to check here).
    static func problem(_ text: String, type: String) -> String? {
        switch type {
        case "id":
            guard (1...64).contains(text.utf8.count), text.utf8.allSatisfy(isIDByte) else {
                return "expected 1 to 64 letters, digits, '-' or '.'"
            }
        case "code":
            // [^\s]+(\s[^\s]+)*: no leading, trailing or doubled whitespace.
            guard !text.isEmpty, !isWhitespace(text.utf8.first!), !isWhitespace(text.utf8.last!),
                !hasDoubledWhitespace(text)
            else { return "a code has no leading, trailing or repeated whitespace" }
        case "uri", "url", "canonical":
            guard !text.isEmpty, !text.utf8.contains(where: isWhitespace) else {
                return "a \(type) is not empty and has no whitespace"
            }
        case "oid":
            guard isOID(text) else { return "expected urn:oid: followed by dotted numbers, such as urn:oid:1.2.3" }
        case "uuid":
            guard isUUID(text) else { return "expected urn:uuid: followed by a lowercase UUID" }
        case "string", "markdown":
            guard text.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else {
                return "a \(type) has at least one character that is not whitespace"
            }
        case "positiveInt":
            guard let value = Int(text), value >= 1 else { return "a positiveInt is 1 or more" }
        case "unsignedInt":
            guard let value = Int(text), value >= 0 else { return "an unsignedInt is 0 or more" }
        case "base64Binary":
            let significant = text.utf8.filter { !isWhitespace($0) }
            guard significant.count % 4 == 0, significant.allSatisfy(isBase64Byte) else {
                return "expected base64 text (A–Z, a–z, 0–9, '+', '/', '=' in groups of four)"
            }
        default:
            return nil
        }
        return nil
    }

    static func isIDByte(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }

    static func isOID(_ text: String) -> Bool {
        guard text.hasPrefix("urn:oid:") else { return false }
        let arcs = text.dropFirst(8).split(separator: ".", omittingEmptySubsequences: false)
        guard arcs.count >= 2, let first = arcs.first, ["0", "1", "2"].contains(first) else { return false }
        return arcs.dropFirst().allSatisfy { arc in
            !arc.isEmpty && arc.utf8.allSatisfy(isDigit) && (arc == "0" || arc.first != "0")
        }
    }

    static func isUUID(_ text: String) -> Bool {
        text.hasPrefix("urn:uuid:") && isUUIDDigits(text.utf8.dropFirst(9), lowercaseOnly: true)
    }

    /// `8-4-4-4-12` hexadecimal digits (lower case only, or either case), byte by byte: asked
    /// of every id and reference that indexes a validation context.
    static func isUUIDDigits(_ bytes: some Collection<UInt8>, lowercaseOnly: Bool) -> Bool {
        guard bytes.count == 36 else { return false }
        for (position, byte) in bytes.enumerated() {
            switch position {
            case 8, 13, 18, 23:
                guard byte == UInt8(ascii: "-") else { return false }
            default:
                let isHexLetter =
                    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
                    || (!lowercaseOnly && byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
                guard isDigit(byte) || isHexLetter else { return false }
            }
        }
        return true
    }

    private static func hasDoubledWhitespace(_ text: String) -> Bool {
        var previous = false
        for byte in text.utf8 {
            let current = isWhitespace(byte)
            if current && previous { return true }
            previous = current
        }
        return false
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    private static func isBase64Byte(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "=")
    }
}
