import FHIRCore
import FHIRJSON
import FHIRValidation

/// Findings as a SARIF 2.1.0 log, which GitHub and GitLab code scanning show on the file and
/// line: one run of the tool `ivig-fhir`, a result per finding (rule id, level, message, the
/// file and line and column as its physical location, the FHIRPath as its logical location),
/// and a rule per rule id met, described from ``ValidationRuleCatalog``.
///
/// The results are written as they come; the tool, with the rules they named, closes the run.
public struct SARIFReport: FindingsRenderer {
    /// The schema the log names in `$schema`.
    public static let schemaURI = "https://json.schemastore.org/sarif-2.1.0.json"

    private let toolVersion: String
    private var ruleIndex: [String: Int] = [:]
    private var rules: [String] = []
    private var resultCount = 0

    /// A SARIF report naming the tool's version.
    public init(toolVersion: String) {
        self.toolVersion = toolVersion
    }

    public mutating func start(inputs: [String]) -> [UInt8] {
        Array(#"{"$schema":"\#(Self.schemaURI)","version":"2.1.0","runs":[{"results":["#.utf8)
    }

    public mutating func render(_ record: RecordFindings) -> [UInt8] {
        var text = ""
        for finding in record.findings {
            text += (resultCount == 0 ? "\n" : ",\n") + result(finding, file: record.input)
            resultCount += 1
        }
        return Array(text.utf8)
    }

    public mutating func finish() -> [UInt8] {
        let rulesJSON = rules.map { id in
            let summary = ValidationRuleCatalog.rule(id)?.summary ?? id
            return #"{"id":\#(JSONText.quoted(id)),"shortDescription":{"text":\#(JSONText.quoted(summary))}}"#
        }
        let driver =
            #"{"name":"ivig-fhir","version":\#(JSONText.quoted(toolVersion)),"#
            + #""informationUri":"https://hl7.org/fhir/R4/","rules":[\#(rulesJSON.joined(separator: ","))]}"#
        return Array((#"],"tool":{"driver":\#(driver)},"columnKind":"unicodeCodePoints"}]}"# + "\n").utf8)
    }

    private mutating func result(_ finding: ValidationFinding, file: String) -> String {
        let index: Int
        if let known = ruleIndex[finding.ruleID] {
            index = known
        } else {
            index = rules.count
            ruleIndex[finding.ruleID] = index
            rules.append(finding.ruleID)
        }
        var physical = #"{"artifactLocation":{"uri":\#(JSONText.quoted(ReportEscaping.uri(file)))}"#
        if let location = finding.location, location.line >= 1 {
            physical += #","region":{"startLine":\#(location.line),"startColumn":\#(max(1, location.column))}"#
        }
        physical += "}"
        var location = #"{"physicalLocation":\#(physical)"#
        if let path = finding.fhirPath {
            location += #","logicalLocations":[{"fullyQualifiedName":\#(JSONText.quoted(path)),"kind":"element"}]"#
        }
        location += "}"
        let message = JSONText.quoted(finding.message)
        return #"{"ruleId":\#(JSONText.quoted(finding.ruleID)),"ruleIndex":\#(index),"#
            + #""level":"\#(Self.level(finding.severity))","message":{"text":\#(message)},"#
            + #""locations":[\#(location)]}"#
    }

    /// SARIF's levels: `fatal` and `error` are errors, `information` a note.
    static func level(_ severity: ValidationFinding.Severity) -> String {
        switch severity {
        case .fatal, .error: "error"
        case .warning: "warning"
        case .information: "note"
        }
    }
}
