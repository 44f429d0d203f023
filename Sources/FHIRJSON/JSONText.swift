/// JSON text for writers outside the FHIR encoders: reports, a command's JSON output.
public enum JSONText {
    /// `string` as a JSON string literal, quotes included: `"`, `\` and control characters
    /// escaped, everything else as it is (UTF-8), as the FHIR JSON writer does.
    public static func quoted(_ string: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(string.utf8.count + 2)
        JSONEscapes.appendQuoted(string, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
