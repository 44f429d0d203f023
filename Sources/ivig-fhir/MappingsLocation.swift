import FHIRValidationIO
import Foundation
import LocalRecords

/// Where the local-record mapping folder is when `--mappings` is not given.
enum MappingsLocation {
    /// `$IVIG_FHIR_MAPPINGS` (the folder itself); else the folder holding the manifest that
    /// ``MappingsSearch`` finds (the working directory's `Mappings/`, or one above the tool).
    static func defaultDirectory() -> String? {
        if let folder = ProcessInfo.processInfo.environment["IVIG_FHIR_MAPPINGS"], !folder.isEmpty { return folder }
        guard let manifest = MappingsSearch.locate(LocalMappings.manifestName) else { return nil }
        return (manifest as NSString).deletingLastPathComponent
    }
}
