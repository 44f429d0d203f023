import FHIRCore
import FHIRTestSupport
import Testing

@testable import FHIRXML

/// `FHIRXHTML.xhtmlProblem` answers a narrative in the writers' form without libxml2, and every
/// other narrative with it: both ways must give the same verdict.
@Suite struct NarrativeWellFormedTests {
    static let open = #"<div xmlns="http://www.w3.org/1999/xhtml">"#

    /// Narratives in the writers' form, and some that are not.
    static let seeds = [
        open + "<p>Diagnosis: ITP</p></div>",
        open + "<p>Patient de Vries, Zoë (female), born 1944-08-30</p></div>",
        open + "<p>A &amp; B &lt; C &gt; D&#13;</p></div>",
        open + #"<p title="a &quot;b&quot;&#10;&#9;c">é — 日本</p><br/><img src="a.png" alt=""/></div>"#,
        open + "<table><tr><td>1</td><td>2</td></tr></table>\ntext\tafter</div>",
        open + "<p>&#8212; <!-- a comment --></p></div>",
        open + "<![CDATA[x < y]]></div>",
        #"<div xmlns="http://www.w3.org/1999/xhtml"/>"#,
    ]

    /// The parser's verdict: well-formed, with a `div` in the XHTML namespace at its root.
    static func parserAccepts(_ text: String) -> Bool {
        let root = Array(text.utf8).withUnsafeBytes { buffer in
            try? XMLDocumentParser(limits: .default).parse(buffer)
        }
        return root?.name == "div" && root?.namespace == XMLNamespace.xhtml
    }

    @Test func everyNarrativeGetsTheParsersVerdict() {
        // Each seed, and each with one edit where markup breaks most easily.
        var generator = SeededGenerator(seed: 20_261_207)
        let edits = ["<", ">", "&", "/", "\"", "</p>", "<p>", "&bogus;", "\u{1}", " ", "]]>"]
        var narratives = Self.seeds
        for seed in Self.seeds {
            let bytes = Array(seed.utf8)
            for _ in 0..<150 {
                var edited = bytes
                let place = Int.random(in: 0..<edited.count, using: &generator)
                if Bool.random(using: &generator) {
                    edited.remove(at: place)
                } else {
                    edited.insert(contentsOf: edits.randomElement(using: &generator)!.utf8, at: place)
                }
                narratives.append(String(decoding: edited, as: UTF8.self))
            }
        }
        var recognized = 0
        var refused = 0
        for text in narratives {
            let problem = FHIRXHTML(text).xhtmlProblem
            #expect((problem == nil) == Self.parserAccepts(text), "\(text): \(problem ?? "accepted")")
            if XHTMLCanonicalForm.recognizes(text, maxDepth: FHIRXMLLimits.default.maxDepth) { recognized += 1 }
            if problem != nil { refused += 1 }
        }
        // Both ways were taken, and both verdicts given.
        #expect(recognized > 100)
        #expect(recognized < narratives.count - refused)
        #expect(refused > 100)
    }

    @Test(arguments: [(64, true), (65, false)])
    func nestingIsAcceptedOnlyWithinTheParsersDepthLimit(depth: Int, accepted: Bool) {
        // The root div counts as one element.
        let inner = String(repeating: "<b>", count: depth - 1) + "x" + String(repeating: "</b>", count: depth - 1)
        let text = Self.open + inner + "</div>"
        let problem = FHIRXHTML(text).xhtmlProblem
        #expect((problem == nil) == accepted, "\(problem ?? "accepted")")
        if !accepted { #expect(problem?.contains("deeper than \(FHIRXMLLimits.default.maxDepth)") == true) }
    }

    @Test func aRootOtherThanTheXHTMLDivIsNamed() {
        #expect(FHIRXHTML(Self.open + "<p>t</p></div>").xhtmlProblem == nil)
        let problem = FHIRXHTML(#"<p xmlns="http://www.w3.org/1999/xhtml">t</p>"#).xhtmlProblem
        #expect(problem?.contains("found <p> in namespace 'http://www.w3.org/1999/xhtml'") == true)
        let unqualified = FHIRXHTML("<div><p>t</p></div>").xhtmlProblem
        #expect(unqualified?.contains("found <div> in namespace ''") == true)
    }
}
