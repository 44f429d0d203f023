public import FHIRValidation
import Foundation

/// Finds a file of the `Mappings/` folder when the user did not name it: the rules file here,
/// the local-record manifest in the CLI. One search, so both look in the same places.
public enum MappingsSearch {
    /// `$environmentVariable` when given and set; else `Mappings/NAME` in the working directory; else in a
    /// `Mappings/` folder above the running executable (a build inside the package finds the
    /// package's own file). `nil` when none exists.
    public static func locate(
        _ name: String, environmentVariable: String? = nil, executable: String = CommandLine.arguments.first ?? ""
    ) -> String? {
        let manager = FileManager.default
        if let environmentVariable, let path = ProcessInfo.processInfo.environment[environmentVariable], !path.isEmpty {
            return path
        }
        let local = "Mappings/" + name
        if manager.fileExists(atPath: local) { return local }
        var folder = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = folder.appendingPathComponent("Mappings").appendingPathComponent(name)
            if manager.fileExists(atPath: candidate.path) { return candidate.path }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }

    /// The folder that holds `name`: `$environmentVariable` (naming the folder itself) when set,
    /// else the folder of the file ``locate(_:environmentVariable:executable:)`` finds.
    public static func folder(
        holding name: String, environmentVariable: String, executable: String = CommandLine.arguments.first ?? ""
    ) -> String? {
        if let folder = ProcessInfo.processInfo.environment[environmentVariable], !folder.isEmpty { return folder }
        return locate(name, executable: executable).map { ($0 as NSString).deletingLastPathComponent }
    }
}

extension DosingRules {
    /// The rules file's name in `Mappings/`.
    public static let defaultFileName = "ivig-dosing-rules.json"

    /// Where the default rules file is: `$IVIG_FHIR_RULES`, else found by ``MappingsSearch``.
    public static func defaultPath(executable: String = CommandLine.arguments.first ?? "") -> String? {
        MappingsSearch.locate(defaultFileName, environmentVariable: "IVIG_FHIR_RULES", executable: executable)
    }
}
