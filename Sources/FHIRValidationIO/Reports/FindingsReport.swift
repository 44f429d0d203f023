import FHIRValidation

/// Escapes for the text formats the reports are written in.
enum ReportEscaping {
    /// Text for XML content or a double-quoted attribute. Characters XML 1.0 cannot carry at all
    /// (other controls) are written as `\u{…}`, as the text report does.
    static func xml(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "\n": result += "&#10;"
            case "\r": result += "&#13;"
            case "\t": result += "&#9;"
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF:
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// A CSV field as RFC 4180 writes it: quoted, with quotes doubled, when it holds a comma,
    /// a quote or a line break.
    static func csv(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
            return text
        }
        var quoted = "\""
        for character in text { quoted += character == "\"" ? "\"\"" : String(character) }
        return quoted + "\""
    }

    /// A URI reference for a file path: characters outside RFC 3986's unreserved set and `/`
    /// percent-encoded, so SARIF's `artifactLocation.uri` is valid for any file name.
    static func uri(_ path: String) -> String {
        var result = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"), UInt8(ascii: "/"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return result
    }
}

extension ValidationFinding.Severity {
    /// The severity as FHIR displays it (`Error`), as the HL7 validator's reports show it.
    var display: String {
        switch self {
        case .fatal: "Fatal"
        case .error: "Error"
        case .warning: "Warning"
        case .information: "Information"
        }
    }
}
