import Foundation
import LocalRecords

/// Where the local-record mapping folder is when `--mappings` is not given.
enum MappingsLocation {
    /// `$IVIG_FHIR_MAPPINGS`; else `Mappings/` in the working directory when it holds a
    /// manifest; else a `Mappings/` folder above the running executable (a build inside the
    /// package finds the package's own folder). `nil` when none exists.
    static func defaultDirectory(executable: String = CommandLine.arguments.first ?? "") -> String? {
        let manager = FileManager.default
        if let path = ProcessInfo.processInfo.environment["IVIG_FHIR_MAPPINGS"], !path.isEmpty { return path }
        if manager.fileExists(atPath: "Mappings/" + LocalMappings.manifestName) { return "Mappings" }
        var folder = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = folder.appendingPathComponent("Mappings")
            if manager.fileExists(atPath: candidate.appendingPathComponent(LocalMappings.manifestName).path) { return candidate.path }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }
}
