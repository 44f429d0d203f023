import FHIRCore
import Foundation

/// `convert --to ndjson --group-by type --output-dir DIR`: a folder as FHIR Bulk Data exports
/// write it and bulk imports read it. One NDJSON file per resource type (`Patient.ndjson`,
/// `MedicationRequest.ndjson`, …), the rejects as NDJSON OperationOutcomes
/// (`OperationOutcome.errors.ndjson`), and `manifest.json`:
///
/// ```json
/// {"transactionTime":"2026-12-07T03:10:00Z","request":"ivig-fhir convert --group-by type",
///  "requiresAccessToken":false,
///  "output":[{"type":"MedicationRequest","url":"MedicationRequest.ndjson","count":120}, …],
///  "error":[{"type":"OperationOutcome","url":"OperationOutcome.errors.ndjson","count":2}]}
/// ```
///
/// `url` names the file relative to the manifest (Bulk Data servers write absolute URLs); the
/// counts add up to the records written and rejected. Every file is written atomically and
/// appears, with the manifest, only when the run commits.
final class BulkExportOutput {
    /// The manifest's file name, which ``InputDiscovery`` looks for to read an export folder.
    static let manifestName = "manifest.json"
    /// The file of OperationOutcomes for the rejects (its own name, so an `OperationOutcome`
    /// resource converted from the input keeps `OperationOutcome.ndjson`).
    static let errorFileStem = "OperationOutcome.errors"

    private let directory: String
    private let gzip: Bool
    private var files: [String: (file: OutputFile, count: Int)] = [:]
    /// Types in the order first met, which the manifest keeps.
    private var types: [String] = []
    private var errors: (file: OutputFile, count: Int)?

    init(directory: String, gzip: Bool) {
        self.directory = directory.hasSuffix("/") ? directory : directory + "/"
        self.gzip = gzip
    }

    private func name(_ stem: String) -> String { stem + (gzip ? ".ndjson.gz" : ".ndjson") }

    /// Writes one converted resource (an NDJSON line without its line break) to its type's
    /// file; returns a reason to reject it when it names no resource type.
    func write(_ line: [UInt8]) throws(BatchError) -> FHIRDiagnostic? {
        guard let type = JSONSkim(bytes: line).topLevelString(forKey: "resourceType", objectStart: 0),
            !type.isEmpty, type.utf8.allSatisfy({ (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) })
        else {
            return FHIRDiagnostic(
                code: .invalidValue, message: "the converted resource names no resourceType to group it by")
        }
        if files[type] == nil {
            files[type] = (try OutputFile(path: directory + name(type), gzip: gzip), 0)
            types.append(type)
        }
        try files[type]!.file.write(line + [0x0A])
        files[type]!.count += 1
        return nil
    }

    /// Writes a rejected record's errors as one OperationOutcome line: an issue per error with
    /// its message, FHIRPath, and the line and column in its input (the HL7 extensions), the
    /// input named by the `operationoutcome-file` extension.
    func reject(origin: RecordOrigin, errors reasons: [FHIRDiagnostic]) throws(BatchError) {
        if errors == nil { errors = (try OutputFile(path: directory + name(Self.errorFileStem), gzip: gzip), 0) }
        var issues: [UInt8] = [UInt8(ascii: "[")]
        for (index, reason) in reasons.enumerated() {
            if index > 0 { issues.append(UInt8(ascii: ",")) }
            let location =
                reason.location ?? SourceLocation(line: origin.line, column: 1, byteOffset: origin.byteOffset)
            var issue = JSONObjectWriter()
            issue.add(
                "extension",
                json: Self.extensions([
                    ("http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-line", location.line),
                    ("http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-col", location.column),
                ]))
            issue.add("severity", "error")
            issue.add("code", reason.code == .syntax ? "structure" : "invalid")
            var details = JSONObjectWriter()
            details.add("text", reason.message)
            issue.add("details", json: details.finish())
            issue.add("diagnostics", reason.code.description)
            if let path = reason.fhirPath, !path.isEmpty {
                var list: [UInt8] = [UInt8(ascii: "[")]
                JSONObjectWriter.appendQuoted(path, to: &list)
                issue.add("expression", json: list + [UInt8(ascii: "]")])
            }
            issues += issue.finish()
        }
        var outcome = JSONObjectWriter()
        outcome.add("resourceType", "OperationOutcome")
        var file: [UInt8] = []
        JSONObjectWriter.appendQuoted(origin.input, to: &file)
        outcome.add(
            "extension",
            json: Array(#"[{"url":"http://hl7.org/fhir/StructureDefinition/operationoutcome-file","valueString":"#.utf8)
                + file + Array("}]".utf8))
        outcome.add("issue", json: issues + [UInt8(ascii: "]")])
        try errors!.file.write(outcome.finish() + [0x0A])
        errors!.count += 1
    }

    private static func extensions(_ integers: [(String, Int)]) -> [UInt8] {
        var list: [UInt8] = [UInt8(ascii: "[")]
        for (index, (url, value)) in integers.enumerated() {
            if index > 0 { list.append(UInt8(ascii: ",")) }
            var item = JSONObjectWriter()
            item.add("url", url)
            item.add("valueInteger", value)
            list += item.finish()
        }
        return list + [UInt8(ascii: "]")]
    }

    /// Finishes every file, writes the manifest, and renames them all into place.
    func commit() throws(BatchError) {
        var manifest = JSONObjectWriter()
        manifest.add("transactionTime", ISO8601DateFormatter().string(from: Date()))
        manifest.add("request", "ivig-fhir convert --to ndjson --group-by type")
        manifest.add("requiresAccessToken", false)
        manifest.add("output", json: Self.entries(types.map { (type: $0, url: name($0), count: files[$0]!.count) }))
        let errorFiles = errors.map { [(type: "OperationOutcome", url: name(Self.errorFileStem), count: $0.count)] }
        manifest.add("error", json: Self.entries(errorFiles ?? []))
        let manifestFile = try OutputFile(path: directory + Self.manifestName)
        try manifestFile.write(manifest.finish() + [0x0A])
        for type in types { try files[type]!.file.finishWriting() }
        try errors?.file.finishWriting()
        try manifestFile.finishWriting()
        for type in types { try files[type]!.file.commit() }
        try errors?.file.commit()
        try manifestFile.commit()
    }

    private static func entries(_ items: [(type: String, url: String, count: Int)]) -> [UInt8] {
        var list: [UInt8] = [UInt8(ascii: "[")]
        for (index, item) in items.enumerated() {
            if index > 0 { list.append(UInt8(ascii: ",")) }
            var entry = JSONObjectWriter()
            entry.add("type", item.type)
            entry.add("url", item.url)
            entry.add("count", item.count)
            list += entry.finish()
        }
        return list + [UInt8(ascii: "]")]
    }

    /// Removes every file written so far.
    func discard() {
        for type in types { files[type]!.file.discard() }
        errors?.file.discard()
    }
}
