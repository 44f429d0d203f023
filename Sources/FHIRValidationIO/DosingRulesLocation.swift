public import FHIRValidation
import Foundation

extension DosingRules {
    /// The rules file's name in `Mappings/`.
    public static let defaultFileName = "ivig-dosing-rules.json"

    /// Where the default rules file is: `$IVIG_FHIR_RULES`; else `Mappings/ivig-dosing-rules.json`
    /// in the working directory; else in a `Mappings/` folder above the running executable (a
    /// build inside the package finds the package's own file). `nil` when none exists.
    public static func defaultPath(executable: String = CommandLine.arguments.first ?? "") -> String? {
        let manager = FileManager.default
        if let path = ProcessInfo.processInfo.environment["IVIG_FHIR_RULES"], !path.isEmpty { return path }
        let local = "Mappings/" + defaultFileName
        if manager.fileExists(atPath: local) { return local }
        var folder = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = folder.appendingPathComponent("Mappings").appendingPathComponent(defaultFileName)
            if manager.fileExists(atPath: candidate.path) { return candidate.path }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }
}
