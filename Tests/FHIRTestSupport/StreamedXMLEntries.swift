public import FHIRXML
import Foundation

/// The entries of an XML Bundle as `validate` streams them (``FHIRXMLBundleEntryReader``), read
/// from a temporary file.
public enum StreamedXMLEntries {
    public static func read(_ bytes: [UInt8]) throws -> [FHIRXMLParsedBundleEntry] {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("streamed-entries-\(UUID()).xml")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let reader = try FHIRXMLBundleEntryReader(path: url.path)
        var entries: [FHIRXMLParsedBundleEntry] = []
        while let entry = try reader.next() { entries.append(entry) }
        return entries
    }
}
