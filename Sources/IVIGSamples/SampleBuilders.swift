import FHIRCore

/// Small constructors for the datatypes every sample resource uses, so the resource builders
/// read like the records they make.
enum Build {
    static let ucum = "http://unitsofmeasure.org"
    static let snomed = "http://snomed.info/sct"
    static let loinc = "http://loinc.org"
    static let icd10 = "http://hl7.org/fhir/sid/icd-10-cm"
    static let atc = "http://www.whocc.no/atc"
    static let ndc = "http://hl7.org/fhir/sid/ndc"

    static func coding(_ system: String, _ code: String, _ display: String? = nil) -> Coding {
        Coding(system: FHIRPrimitive(system), code: FHIRPrimitive(code), display: display.map { FHIRPrimitive($0) })
    }

    static func concept(_ codings: [Coding], text: String? = nil) -> CodeableConcept {
        CodeableConcept(coding: codings, text: text.map { FHIRPrimitive($0) })
    }

    static func concept(_ system: String, _ code: String, _ display: String? = nil) -> CodeableConcept {
        concept([coding(system, code, display)])
    }

    static func reference(_ target: String, display: String? = nil) -> Reference {
        Reference(reference: FHIRPrimitive(target), display: display.map { FHIRPrimitive($0) })
    }

    /// A UCUM quantity; `unit` is the human text, which may differ from the code (`kg/d`).
    static func quantity(_ value: ScaledDecimal, _ code: String, unit: String? = nil) -> Quantity {
        Quantity(value: FHIRPrimitive(value.fhir), unit: FHIRPrimitive(unit ?? code),
                 system: FHIRPrimitive(ucum), code: FHIRPrimitive(code))
    }

    static func identifier(_ system: String, _ value: String) -> Identifier {
        Identifier(system: FHIRPrimitive(system), value: FHIRPrimitive(value))
    }

    /// A generated narrative: XHTML as FHIR requires it, with the text escaped.
    static func narrative(_ paragraphs: [String]) -> Narrative {
        let body = paragraphs.map { "<p>\($0)</p>" }.joined()
        return Narrative(status: "generated", div: FHIRXHTML("<div xmlns=\"http://www.w3.org/1999/xhtml\">\(body)</div>"))
    }

    /// Escapes text for the inside of an XHTML element.
    static func xhtmlText(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            default: result.append(character)
            }
        }
        return result
    }

    static func extensionValue(_ url: String, _ value: Extension.ValueX) -> Extension {
        Extension(url: url, value: value)
    }

    static func meta(lastUpdated: SampleClock, source: String?) -> Meta {
        Meta(lastUpdated: FHIRPrimitive(lastUpdated.instant), source: source.map { FHIRPrimitive($0) })
    }
}
