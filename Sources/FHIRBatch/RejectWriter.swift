import FHIRCore
import Foundation

/// Writes rejected records as NDJSON, one object per record, so nothing is lost and a person or
/// a script can fix and resend them:
///
/// ```json
/// {"source":"in.ndjson","line":17,"column":12,"code":"wrong-type","message":"expected a boolean …",
///  "fhirPath":"Patient.active","record":"{\"resourceType\":\"Patient\",\"active\":\"yes\"}"}
/// ```
///
/// - `source`: the input's name; `line`, `column`: where the error is in that input (for NDJSON,
///   the line of the file and the column on it); `entry`: the 0-based Bundle entry index, for
///   entries of a split Bundle.
/// - `code`, `message`, `fhirPath`: the (first) error; `errors`: all of them when there are several.
/// - `record`: the record as it came, as a string. Bytes that are not UTF-8 are shown as U+FFFD
///   there, and `recordBase64` then holds the exact bytes. `truncated: true` marks a record cut
///   to its start (over the size limit, or an input that is not FHIR at all).
///
/// The file is written atomically like every output (see ``OutputFile``).
final class RejectWriter {
    private let file: OutputFile

    init(path: String) throws(BatchError) {
        file = try OutputFile(path: path)
    }

    func write(record bytes: [UInt8], truncated: Bool, origin: RecordOrigin, errors: [FHIRDiagnostic])
        throws(BatchError)
    {
        try file.write(Self.line(record: bytes, truncated: truncated, origin: origin, errors: errors))
    }

    func commit() throws(BatchError) { try file.commit() }

    func discard() { file.discard() }

    /// One reject line, with its line break.
    static func line(record bytes: [UInt8], truncated: Bool, origin: RecordOrigin, errors: [FHIRDiagnostic]) -> [UInt8]
    {
        var object = JSONObjectWriter()
        object.add("source", origin.input)
        let first = errors.first
        object.add("line", first?.location?.line ?? origin.line)
        if let column = first?.location?.column { object.add("column", column) }
        if case .bundleEntry(let index, _, _) = origin.position { object.add("entry", index) }
        if let first {
            object.add("code", first.code.description)
            object.add("message", first.message)
            if let path = first.fhirPath, !path.isEmpty { object.add("fhirPath", path) }
        }
        if errors.count > 1 {
            var list: [UInt8] = [UInt8(ascii: "[")]
            for (index, error) in errors.enumerated() {
                if index > 0 { list.append(UInt8(ascii: ",")) }
                var item = JSONObjectWriter()
                if let location = error.location {
                    item.add("line", location.line)
                    item.add("column", location.column)
                }
                item.add("code", error.code.description)
                item.add("message", error.message)
                if let path = error.fhirPath, !path.isEmpty { item.add("fhirPath", path) }
                list.append(contentsOf: item.finish())
            }
            list.append(UInt8(ascii: "]"))
            object.add("errors", json: list)
        }
        object.add("record", String(decoding: bytes, as: UTF8.self))
        if String(validating: bytes, as: UTF8.self) == nil {
            object.add("recordBase64", Data(bytes).base64EncodedString())
        }
        if truncated { object.add("truncated", true) }
        var line = object.finish()
        line.append(UInt8(ascii: "\n"))
        return line
    }
}
