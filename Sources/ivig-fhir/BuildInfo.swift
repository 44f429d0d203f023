import FHIRValidation
import FHIRValidationIO
import Foundation
import UCUM

/// What this build of ivig-fhir is: `ivig-fhir --version` and the reports that name the tool.
///
/// `scripts/release.sh` writes the release's version and commit into `BuildInfo+Release.swift`
/// before it builds, and restores the file after; any other build says `dev` and `unknown`. (A
/// file written by the release script needs no build plugin and no git at build time.)
enum BuildInfo {
    /// The release version, or `dev`.
    static var version: String { ReleaseStamp.version }
    /// The git commit the release was built from, or `unknown`.
    static var commit: String { ReleaseStamp.commit }
    /// The FHIR version the models and definitions are generated from.
    static let fhirVersion = "4.0.1"

    /// The `--version` text: the tool, its commit, FHIR, UCUM and the dosing rules file found
    /// where `validate` would look for it.
    static var versionText: String {
        var rules = "not found (pass --rules FILE or set IVIG_FHIR_RULES)"
        if let path = DosingRules.defaultPath() {
            rules = "\(rulesFileVersion(path) ?? "unversioned") (\(path))"
        }
        return """
            ivig-fhir \(version) (commit \(commit))
            FHIR \(fhirVersion)
            UCUM \(UCUM.tableVersion)
            dosing rules \(rules)
            """
    }

    /// The `version` a rules file declares.
    private static func rulesFileVersion(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        return object["version"] as? String
    }
}
