import FHIRCore
import FHIRElementModel
import FHIRTestSupport
import Foundation
import Testing

@testable import FHIRXML

/// A streamed Bundle entry read as the only entry of a collection Bundle (what validation from
/// the definitions checks a streamed entry as) gives what that Bundle written out and read again
/// gives: the same tree, the same warnings, the same errors. Entries the streaming reader decoded
/// on its fast path are built from their flat document; the rest are written out and read again.
@Suite struct CollectionBundleEntryTests {
    static let prefix = Array(#"<Bundle xmlns="http://hl7.org/fhir"><type value="collection"/>"#.utf8)

    /// Entries of every kind the readers tell apart: clean ones, narratives written otherwise than
    /// the serializer writes them, and the breakages the element model reports or refuses.
    static let handWritten: [String] = [
        #"<fullUrl value="urn:uuid:1"/><resource><Patient xmlns="http://hl7.org/fhir"><id value="p1"/>"#
            + #"<text><status value="generated"/><div xmlns="http://www.w3.org/1999/xhtml"><p>Pat</p></div></text>"#
            + #"<active value="true"/><name><family value="Doe"/></name><birthDate value="1970-01-02"/></Patient>"#
            + "</resource>",
        #"<resource><Patient xmlns="http://hl7.org/fhir"><text><status value="generated"/>"#
            + #"<div xmlns='http://www.w3.org/1999/xhtml' xml:lang='en'><p class='x'>a &amp; b > c<br></br></p>"#
            + #"<p/><!-- c --><![CDATA[x < y]]></div></text><active value="true"/></Patient></resource>"#,
        #"<resource><Patient xmlns="http://hl7.org/fhir"><text><status value="generated"/>"#
            + #"<div xmlns="http://www.w3.org/1999/xhtml"><p>tab&#9;cr&#13;"q"</p><img src="a.png" alt="x&quot;y"/>"#
            + #"<q:b xmlns:q="urn:q" q:a="1">z</q:b></div></text></Patient></resource>"#,
        #"<resource><Observation xmlns="http://hl7.org/fhir"><status value="final"/><code><text value="w"/>"#
            + #"</code><valueQuantity><value value="1.500e3"/><unit value="g"/></valueQuantity></Observation>"#
            + "</resource>",
        // An unknown element; a bad dateTime; an element with only an id; out of order.
        #"<resource><Observation xmlns="http://hl7.org/fhir"><status value="final"/><foo value="x"/>"#
            + #"<code><text value="w"/></code></Observation></resource>"#,
        #"<resource><Observation xmlns="http://hl7.org/fhir"><status value="final"/><code><text value="w"/></code>"#
            + #"<effectiveDateTime value="2023-13-45T25:00"/></Observation></resource>"#,
        #"<resource><Observation xmlns="http://hl7.org/fhir"><status id="s1"/><code><text value="w"/></code>"#
            + "</Observation></resource>",
        #"<resource><Observation xmlns="http://hl7.org/fhir"><code><text value="w"/></code><status value="final"/>"#
            + "</Observation></resource>",
        // Repeated, empty, text content, a foreign namespace, a div outside XHTML, two choices.
        #"<resource><Observation xmlns="http://hl7.org/fhir"><status value="final"/><status value="final"/>"#
            + #"<code><text value="w"/></code></Observation></resource>"#,
        #"<resource><Observation xmlns="http://hl7.org/fhir"><status value=""/><code><text value="w"/></code>"#
            + "</Observation></resource>",
        #"<resource><Observation xmlns="http://hl7.org/fhir"><status value="final"/><code>t<text value="w"/>"#
            + "</code></Observation></resource>",
        #"<resource><Observation xmlns="http://hl7.org/fhir"><status value="final"/><x:foo xmlns:x="urn:x"/>"#
            + #"<code><text value="w"/></code></Observation></resource>"#,
        #"<resource><Observation xmlns="http://hl7.org/fhir"><text><status value="generated"/><div>x</div></text>"#
            + #"<status value="final"/><code><text value="w"/></code></Observation></resource>"#,
        #"<resource><Observation xmlns="http://hl7.org/fhir"><status value="final"/><code><text value="w"/></code>"#
            + #"<valueString value="x"/><valueBoolean value="true"/></Observation></resource>"#,
        // An attribute FHIR does not define, an empty element, an id with a blank, no resource.
        #"<resource><Observation xmlns="http://hl7.org/fhir"><status value="final" foo="bar"/>"#
            + #"<code><text/></code></Observation></resource>"#,
        #"<resource><Observation xmlns="http://hl7.org/fhir"><id value=" o1"/><status value="final"/>"#
            + #"<code><text value="w"/></code></Observation></resource>"#,
        #"<fullUrl value="urn:uuid:2"/><request><method value="GET"/><url value="Patient/1"/></request>"#,
        // Two resources in one wrapper; a contained resource; extensions; a type the typed models lack.
        #"<resource><Basic xmlns="http://hl7.org/fhir"><code><text value="t"/></code></Basic>"#
            + #"<Basic xmlns="http://hl7.org/fhir"><code><text value="t"/></code></Basic></resource>"#,
        #"<resource><Observation xmlns="http://hl7.org/fhir"><contained><Medication><id value="c1"/></Medication>"#
            + #"</contained><status id="s" value="final"><extension url="http://x/e"><valueString value="v"/>"#
            + #"</extension></status><code><text value="w"/></code></Observation></resource>"#,
        #"<resource><Basic xmlns="http://hl7.org/fhir"><modifierExtension url="http://x/m">"#
            + #"<valueBoolean value="true"/></modifierExtension><code><text value="t"/></code></Basic></resource>"#,
    ]

    static func bundles() throws -> [(name: String, bytes: [UInt8])] {
        let written =
            #"<Bundle xmlns="http://hl7.org/fhir"><type value="collection"/>"#
            + handWritten.map { "\n<entry>\($0)</entry>" }.joined() + "\n</Bundle>"
        var bundles = [("hand-written", Array(written.utf8))]
        guard SharedCorpus.root != nil else {
            print(SharedCorpus.absentMessage)
            return bundles
        }
        for folder in ["fhir-r4/xml", "fhir-r4/all-types/xml"] {
            guard let url = SharedCorpus.url(folder) else { continue }
            for name in try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
            where name.hasSuffix(".xml") {
                let bytes = try [UInt8](Data(contentsOf: url.appendingPathComponent(name)))
                if String(decoding: bytes.prefix(400), as: UTF8.self).contains("<Bundle") {
                    bundles.append(("\(folder)/\(name)", bytes))
                }
            }
        }
        return bundles
    }

    /// A message with the line it names taken out (`<foo> (line 8)` as `<foo> (line)`).
    static func withoutLines(_ message: String) -> String {
        message.replacing(/\(line \d+\)/, with: "(line)")
    }

    /// The lines messages name (`(line 8)`).
    static func lines(in message: String) -> [Int] {
        message.matches(of: /\(line (\d+)\)/).compactMap { Int($0.output.1) }
    }

    @Test(arguments: [FHIRReadLimits.default, FHIRReadLimits(maxRecordBytes: 1000)])
    func anEntryReadsAsTheCollectionBundleWrittenOutReads(limits: FHIRReadLimits) throws {
        let index = try #require(ElementXMLFastPathTests.index)
        let reader = FHIRElementXMLReader(index: index, limits: limits)
        var built = 0, entries = 0
        for (name, bytes) in try Self.bundles() {
            for entry in try StreamedXMLEntries.read(bytes) {
                entries += 1
                let place = "\(name) entry \(entry.index), \(limits.maxRecordBytes) bytes at most"
                if reader.fastCollectionBundle(entry) != nil { built += 1 }
                let written = Self.prefix + entry.xmlText() + Array("</Bundle>".utf8)
                // The record size applies to the entry in the input (the streaming reader refused
                // it when over), not to the Bundle written around it.
                var wrapperReader = reader
                wrapperReader.limits.maxRecordBytes = max(limits.maxRecordBytes, written.count)
                for lenient in [true, false] {
                    let got = Result { () throws(FHIRDiagnostic) in
                        try reader.readAsCollectionBundle(entry, lenient: lenient)
                    }
                    let want = Result { () throws(FHIRDiagnostic) in
                        try wrapperReader.read(written, lenient: lenient)
                    }
                    if let refusal = entry.refusal {
                        // Nothing else to read: the refusal, as decoding gives it.
                        guard case .failure(let error) = got else {
                            Issue.record("\(place): a refused entry read")
                            continue
                        }
                        #expect(error.description == refusal.description, "\(place)")
                        continue
                    }
                    // The lines messages name are the input's (at the entry's start or after it),
                    // not those of the text written out.
                    let messages: [String]
                    switch got {
                    case .success(let got): messages = got.dropped.map(\.message)
                    case .failure(let error): messages = [error.message]
                    }
                    for message in messages {
                        #expect(Self.lines(in: message).allSatisfy { $0 >= entry.line }, "\(place): \(message)")
                    }
                    let described = { (diagnostic: FHIRDiagnostic) in
                        "\(diagnostic.severity) \(diagnostic.code) \(diagnostic.fhirPath ?? "") "
                            + Self.withoutLines(diagnostic.message)
                    }
                    switch (got, want) {
                    case (.success(let got), .success(let want)):
                        #expect(got.dropped.map(described) == want.dropped.map(described), "\(place)")
                        // Built from the flat document, the elements have no place in the input;
                        // read again, their places are in the text written out.
                        let found = ElementXMLFastPathTests.difference(got.resource, want.resource, locations: false)
                        #expect(found == nil, "\(place): \(found ?? "")")
                    case (.failure(let got), .failure(let want)):
                        #expect(described(got) == described(want), "\(place)")
                    default:
                        Issue.record("\(place) lenient \(lenient): read by one path only")
                    }
                }
            }
        }
        print("collection Bundle entries: \(entries) read, \(built) built from their flat document")
        guard limits == .default else { return }
        #expect(built > Self.handWritten.count / 4)
        if SharedCorpus.root != nil { #expect(built > 300) }
    }

    @Test func anEntryBuiltFromItsDocumentHasNoLocationsAndTheWrappersPaths() throws {
        let index = try #require(ElementXMLFastPathTests.index)
        let reader = FHIRElementXMLReader(index: index)
        let bundle = Array(
            (#"<Bundle xmlns="http://hl7.org/fhir"><type value="collection"/><entry>"# + Self.handWritten[0]
                + "</entry><entry>" + Self.handWritten[4] + "</entry></Bundle>").utf8)
        let entries = try StreamedXMLEntries.read(bundle)
        let tree = try #require(reader.fastCollectionBundle(entries[0]))
        #expect(tree.child(named: "type")?.value == "collection")
        let family = tree.child(named: "entry")?.child(named: "resource")?.child(named: "name")?.child(named: "family")
        #expect(family?.fhirPath == "Bundle.entry[0].resource.ofType(Patient).name[0].family")
        #expect(family?.location == nil && tree.location == nil)
        // The unknown element: not built, but written out and read again, which reports it.
        #expect(reader.fastCollectionBundle(entries[1]) == nil)
        let (_, dropped) = try reader.readAsCollectionBundle(entries[1], lenient: true)
        #expect(dropped.map(\.fhirPath) == ["Bundle.entry[0].resource.ofType(Observation).foo"])
    }
}
