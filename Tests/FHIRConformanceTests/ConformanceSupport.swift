import FHIRConformance
import FHIRElementModel
import FHIRJSON
import FHIRPackages
import FHIRTestSupport
import FHIRValidation
import FHIRXML
import Foundation

/// Shared set-up of the conformance tests: validators over base R4 and over US Core 3.1.0,
/// and resources read from JSON or XML text by the element model's readers.
enum Conformance {
    static let base = ConformanceValidator()

    /// Base R4 and US Core 3.1.0 from the shared corpus; nil (tests skip) when it is absent.
    static let usCoreDefinitions: FHIRDefinitions? = {
        guard let url = SharedCorpus.url("packages/hl7.fhir.us.core-3.1.0.tgz"),
            FileManager.default.fileExists(atPath: url.path)
        else { return nil }
        return try? FHIRDefinitions(packages: [FHIRPackage(path: url.path)])
    }()

    /// A validator over US Core with `profile` given (as `--profile` does).
    static func usCore(profile: String? = nil) -> ConformanceValidator? {
        usCoreDefinitions.map {
            ConformanceValidator(definitions: $0, options: .init(profiles: profile.map { [$0] } ?? []))
        }
    }

    static func read(json: String, definitions: FHIRDefinitions = .baseR4) throws -> FHIRElement {
        try FHIRElementJSONReader(index: FHIRLayoutIndex(definitions)).read(Array(json.utf8))
    }

    static func read(xml: String, definitions: FHIRDefinitions = .baseR4) throws -> FHIRElement {
        try FHIRElementXMLReader(index: FHIRLayoutIndex(definitions)).read(Array(xml.utf8))
    }

    /// The findings on a JSON resource.
    static func findings(json: String, validator: ConformanceValidator = base) throws -> [ValidationFinding] {
        validator.validate(try read(json: json, definitions: validator.definitions))
    }

    /// The errors, as `rule FHIRPath`, sorted.
    static func errors(_ findings: [ValidationFinding]) -> [String] {
        findings.filter(\.severity.isError).map { "\($0.ruleID) \($0.fhirPath ?? "-")" }.sorted()
    }

    /// The errors on a JSON resource, as `rule FHIRPath`.
    static func errors(json: String, validator: ConformanceValidator = base) throws -> [String] {
        errors(try findings(json: json, validator: validator))
    }

    static let usCoreAbsent = "skipped: ../shared/corpus/packages/hl7.fhir.us.core-3.1.0.tgz is absent"
}
