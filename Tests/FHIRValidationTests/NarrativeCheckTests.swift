import FHIRCore
import FHIRValidation
import Testing

/// A JSON narrative is a string no reader parses: `validate` checks it is XHTML, as writing it
/// as XML would (`struct-narrative`).
@Suite struct NarrativeCheckTests {
    static func patient(div: String, id: String = "p") -> String {
        #"{"resourceType":"Patient","id":"\#(id)","text":{"status":"generated","div":"\#(div)"}}"#
    }

    static let xhtml = #"xmlns=\"http://www.w3.org/1999/xhtml\""#

    static let broken: [(div: String, message: String)] = [
        ("<div \(xhtml)><p><b>unclosed</p></div>", "not well-formed XHTML at 1:"),
        ("<div \(xhtml)><p>&nbsp;</p></div>", "Entity 'nbsp' not defined"),
        (
            #"<!DOCTYPE div [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><div \#(xhtml)>&e;</div>"#,
            "a DOCTYPE is not allowed"
        ),
        ("<div><p>no namespace</p></div>", "found <div> in namespace ''"),
        ("just text", "not well-formed XHTML"),
    ]

    @Test(arguments: broken)
    func aBrokenNarrativeIsAnErrorAtItsDiv(_ div: String, _ message: String) throws {
        let findings = ValidationHarness.findings(Self.patient(div: div)).filter { $0.ruleID == "struct-narrative" }
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.severity == .error)
        #expect(finding.fhirPath == "Patient.text.div")
        #expect(finding.message.contains(message), "\(finding.message)")
        #expect(finding.location?.line == 1 && (finding.location?.column ?? 0) > 1)
    }

    @Test func narrativesOfContainedResourcesAndBundleEntriesAreCheckedOnTheirLine() {
        let contained =
            #"{"resourceType":"Observation","id":"o","status":"final","code":{"text":"x"},"contained":["#
            + Self.patient(div: "<div \(Self.xhtml)><p>fine</p></div>", id: "c1") + ","
            + Self.patient(div: "<div \(Self.xhtml)><p>broken</div>", id: "c2") + "]}"
        let bundle =
            #"{"resourceType":"Bundle","type":"collection","entry":[{"resource":"#
            + Self.patient(div: "<div \(Self.xhtml)><p>broken</div>") + "}]}"
        let parameters =
            #"{"resourceType":"Parameters","parameter":[{"name":"p","part":[{"name":"q","resource":"#
            + Self.patient(div: "<div \(Self.xhtml)><p>broken</div>") + "}]}]}"
        let findings = ValidationHarness.findings([
            ("night.ndjson", contained + "\n" + bundle + "\n" + parameters + "\n")
        ])
        .filter { $0.ruleID == "struct-narrative" }
        #expect(
            findings.map(\.fhirPath) == [
                "Observation.contained[1].ofType(Patient).text.div",
                "Bundle.entry[0].resource.ofType(Patient).text.div",
                "Parameters.parameter[0].part[0].resource.ofType(Patient).text.div",
            ])
        #expect(findings.map { $0.location?.line } == [1, 2, 3])
    }

    @Test func aWellFormedNarrativeIsNoFinding() {
        let findings = ValidationHarness.findings(
            Self.patient(div: "<div \(Self.xhtml)><p>Mei <b>ROSSI</b> &amp; family</p></div>"))
        #expect(!findings.contains { $0.ruleID == "struct-narrative" })
    }
}
