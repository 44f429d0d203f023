import FHIRCore
import FHIRJSON
import FHIRXML

/// JSON ⇄ XML: a resource that reads from JSON must write as JSON and as XML, and each must
/// read back equal to it (decimals' digits, ids, extensions and narrative included).
///
/// A narrative `div` that is not well-formed XHTML is the exception: JSON carries it as text,
/// XML cannot, and the XML writer refuses it with a diagnostic at the `div`.
///
/// Equal means equal models, with one allowance the formats force: the XML writer serializes
/// narrative XHTML afresh (`&#233;` becomes `é`, `<br></br>` becomes `<br/>`), so after XML a
/// `div` may differ in spelling. For XML, the check is therefore that everything else is
/// equal and that writing what was read gives the same XML bytes again.
enum RoundTripCheck {
    static func check(_ bytes: [UInt8]) throws(FuzzFinding) {
        guard let resource = try? FHIRJSONDecoder().decode(AnyResource.self, from: bytes) else { return }
        try readsBack(resource, label: "a \(resource.resourceType) read from JSON")
    }

    /// Writes `resource` as JSON and as XML and reads each back.
    static func readsBack(_ resource: AnyResource, label: String) throws(FuzzFinding) {
        let json = try write(resource, label, "JSON") { (value) throws(FHIRDiagnostic) in
            try FHIRJSONEncoder().encode(value)
        }
        let fromJSON = try read(json, label, "JSON") { (bytes) throws(FHIRDiagnostic) in
            try FHIRJSONDecoder().decode(AnyResource.self, from: bytes)
        }
        guard fromJSON == resource else {
            throw FuzzFinding("\(label) reads back different from its JSON:\n\(String(decoding: json, as: UTF8.self))")
        }

        let xml: [UInt8]
        do { xml = try FHIRXMLEncoder().encode(resource) } catch {
            // The JSON reader takes a narrative `div` as text (it has no XML parser); one that is
            // not well-formed XHTML is refused when written as XML, by `convert --to xml` as a
            // reject with this reason, and by `validate` as `struct-narrative`. Anything else
            // that does not write is a finding.
            if error.fhirPath?.hasSuffix(".div") == true { return }
            throw FuzzFinding("\(label) does not write as XML: \(error)")
        }
        let fromXML = try read(xml, label, "XML") { (bytes) throws(FHIRDiagnostic) in
            try FHIRXMLDecoder().decode(AnyResource.self, from: bytes)
        }
        if fromXML == resource { return }
        let again = try write(fromXML, label, "XML (second time)") { (value) throws(FHIRDiagnostic) in
            try FHIRXMLEncoder().encode(value)
        }
        guard again == xml else {
            throw FuzzFinding(
                "\(label) writes different XML after one XML round trip:\n\(String(decoding: xml, as: UTF8.self))\n\(String(decoding: again, as: UTF8.self))"
            )
        }
        let before = try tree(json, label), after = try tree(fromXML, label)
        if let difference = before.firstDifference(
            from: after, equivalentStrings: { path, lhs, rhs in lhs == rhs || path.hasSuffix(".div") })
        {
            throw FuzzFinding(
                "\(label) reads back different from its XML at \(difference):\n\(String(decoding: xml, as: UTF8.self))")
        }
    }

    private static func write(
        _ resource: AnyResource, _ label: String, _ format: String,
        _ encode: (AnyResource) throws(FHIRDiagnostic) -> [UInt8]
    ) throws(FuzzFinding) -> [UInt8] {
        do { return try encode(resource) } catch { throw FuzzFinding("\(label) does not write as \(format): \(error)") }
    }

    private static func read(
        _ bytes: [UInt8], _ label: String, _ format: String, _ decode: ([UInt8]) throws(FHIRDiagnostic) -> AnyResource
    ) throws(FuzzFinding) -> AnyResource {
        do { return try decode(bytes) } catch {
            throw FuzzFinding(
                "\(label) does not read back from its \(format): \(error)\n\(String(decoding: bytes, as: UTF8.self))")
        }
    }

    private static func tree(_ resource: AnyResource, _ label: String) throws(FuzzFinding) -> JSONTree {
        try tree(
            write(resource, label, "JSON") { (value) throws(FHIRDiagnostic) in try FHIRJSONEncoder().encode(value) },
            label)
    }

    private static func tree(_ json: [UInt8], _ label: String) throws(FuzzFinding) -> JSONTree {
        do { return try JSONTree.parse(json) } catch {
            throw FuzzFinding("\(label): its JSON does not parse: \(error)")
        }
    }
}
