/// `GET /metadata`: the CapabilityStatement saying what this server does. The generated models
/// hold only the IVIG resource types, so it is written here as text, in both syntaxes, from one
/// list of operations.
enum CapabilityStatement {
    /// An operation the server offers, as `CapabilityStatement.rest.operation` names it.
    struct Operation {
        var name: String
        var definition: String
        var documentation: String
    }

    static let operations = [
        Operation(
            name: "convert", definition: "http://hl7.org/fhir/OperationDefinition/Resource-convert",
            documentation:
                "POST /$convert: FHIR JSON, XML or NDJSON (streamed) in, the format of Accept or _format out; "
                + "from=local or to=local for the hospital's local IVIG records"),
        Operation(
            name: "validate", definition: "http://hl7.org/fhir/OperationDefinition/Resource-validate",
            documentation:
                "POST /$validate or /{type}/$validate: a resource, a Parameters with resource (and profile), or "
                + "NDJSON (one OperationOutcome per record, streamed); structure, UCUM units and IVIG dosing rules"),
    ]

    static let software = "ivig-fhir"
    static let publisher = "ivig-fhir"
    static let date = "2026-12-07"

    static func json(version: String) -> [UInt8] {
        let operationsText = operations.map { operation in
            #"{"name":"\#(operation.name)","definition":"\#(operation.definition)","#
                + #""documentation":"\#(operation.documentation)"}"#
        }.joined(separator: ",")
        let text =
            #"{"resourceType":"CapabilityStatement","status":"active","date":"\#(date)","#
            + #""publisher":"\#(publisher)","kind":"instance","#
            + #""software":{"name":"\#(software)","version":"\#(version)"},"#
            + #""implementation":{"description":"IVIG FHIR conversion and validation service"},"#
            + #""fhirVersion":"4.0.1","#
            + #""format":["application/fhir+json","application/fhir+xml","application/fhir+ndjson"],"#
            + #""rest":[{"mode":"server","#
            + #""documentation":"Conversion and validation only: no resources are stored.","#
            + #""operation":[\#(operationsText)]}]}"#
        return Array(text.utf8)
    }

    static func xml(version: String) -> [UInt8] {
        let operationsText = operations.map { operation in
            #"<operation><name value="\#(operation.name)"/><definition value="\#(operation.definition)"/>"#
                + #"<documentation value="\#(escape(operation.documentation))"/></operation>"#
        }.joined()
        let text =
            #"<?xml version="1.0" encoding="UTF-8"?>"#
            + #"<CapabilityStatement xmlns="http://hl7.org/fhir"><status value="active"/><date value="\#(date)"/>"#
            + #"<publisher value="\#(publisher)"/><kind value="instance"/>"#
            + #"<software><name value="\#(software)"/><version value="\#(version)"/></software>"#
            + #"<implementation><description value="IVIG FHIR conversion and validation service"/></implementation>"#
            + #"<fhirVersion value="4.0.1"/><format value="application/fhir+json"/>"#
            + #"<format value="application/fhir+xml"/>"#
            + #"<format value="application/fhir+ndjson"/><rest><mode value="server"/>"#
            + #"<documentation value="Conversion and validation only: no resources are stored."/>"#
            + operationsText + "</rest></CapabilityStatement>"
        return Array(text.utf8)
    }

    private static func escape(_ text: String) -> String {
        text.replacingAll("&", with: "&amp;").replacingAll("<", with: "&lt;").replacingAll("\"", with: "&quot;")
    }
}

private extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self { if character == target { result += replacement } else { result.append(character) } }
        return result
    }
}
