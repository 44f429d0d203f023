import FHIRCore

/// The one systematic disagreement inside the fhir_models pairs: every JSON file carries the
/// HTEST label ("test health data") in the root resource's `meta.tag`, while its XML twin
/// carries the same coding in `meta.security` (SOURCES.md calls it a security label).
///
/// The cross-format test moves that single coding to the other format's place before comparing,
/// and counts the pairs it touched; everything else is compared untouched.
enum CorpusHTESTLabel {
    enum Place { case tag, security }

    static func isHTEST(_ coding: Coding) -> Bool {
        coding.code?.value == "HTEST" && coding.system?.value == "http://terminology.hl7.org/CodeSystem/v3-ActReason"
    }

    /// Moves the HTEST coding of the root resource's meta from `from` to the end of the other
    /// list; returns nil when there was none to move.
    static func move(in resource: AnyResource, from: Place) -> AnyResource? {
        switch resource {
        case .adverseEvent(var r): return moved(&r.meta, from: from) ? .adverseEvent(r) : nil
        case .bundle(var r): return moved(&r.meta, from: from) ? .bundle(r) : nil
        case .conceptMap(var r): return moved(&r.meta, from: from) ? .conceptMap(r) : nil
        case .condition(var r): return moved(&r.meta, from: from) ? .condition(r) : nil
        case .medication(var r): return moved(&r.meta, from: from) ? .medication(r) : nil
        case .medicationAdministration(var r): return moved(&r.meta, from: from) ? .medicationAdministration(r) : nil
        case .medicationRequest(var r): return moved(&r.meta, from: from) ? .medicationRequest(r) : nil
        case .observation(var r): return moved(&r.meta, from: from) ? .observation(r) : nil
        case .operationOutcome(var r): return moved(&r.meta, from: from) ? .operationOutcome(r) : nil
        case .organization(var r): return moved(&r.meta, from: from) ? .organization(r) : nil
        case .parameters(var r): return moved(&r.meta, from: from) ? .parameters(r) : nil
        case .patient(var r): return moved(&r.meta, from: from) ? .patient(r) : nil
        case .practitioner(var r): return moved(&r.meta, from: from) ? .practitioner(r) : nil
        case .provenance(var r): return moved(&r.meta, from: from) ? .provenance(r) : nil
        case .substance(var r): return moved(&r.meta, from: from) ? .substance(r) : nil
        }
    }

    private static func moved(_ meta: inout Meta?, from: Place) -> Bool {
        guard var value = meta else { return false }
        switch from {
        case .tag:
            guard let index = value.tag.firstIndex(where: isHTEST) else { return false }
            value.security.append(value.tag.remove(at: index))
        case .security:
            guard let index = value.security.firstIndex(where: isHTEST) else { return false }
            value.tag.append(value.security.remove(at: index))
        }
        meta = value
        return true
    }
}
