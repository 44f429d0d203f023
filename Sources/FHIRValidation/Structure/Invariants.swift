import ExactArithmetic
import FHIRCore
import UCUM

/// The R4 invariants ivig-fhir checks, by the key the specification gives them. They were
/// chosen because they constrain the elements IVIG records use (quantities, ratios, ranges,
/// periods, timings, references, contained resources, Observation values, dosage) or the
/// Bundles that carry them. Each is written from its FHIRPath expression in the R4
/// StructureDefinitions; ``ValidationRuleCatalog`` lists them with their text.
///
/// Not checked: `dom-6` (narrative is a best-practice warning the fhir_models corpus strips on
/// purpose), `ele-1` (the codecs already refuse empty elements), and the invariants of types and
/// resources outside the IVIG records (ConceptMap, Provenance, ElementDefinition, …).
enum Invariants {
    /// The invariants of the type or backbone element `typePath`, on one occurrence of it.
    static func check(
        typePath: String, _ node: ElementNode, at path: FHIRPathBuilder, into findings: inout [ValidationFinding]
    ) {
        func fail(_ key: String, _ message: String, _ severity: ValidationFinding.Severity = .error) {
            findings.append(ValidationFinding(severity, .invariant, rule: key, message, at: path.expression))
        }
        switch typePath {
        case "Extension":
            if (node["extension"] != nil) == node.hasChoice("value") {
                fail("ext-1", "an extension has either nested extensions or a value[x], not both and not neither")
            }
        case "Quantity", "Age", "Count", "Distance", "Duration":
            if node.has("code") && !node.has("system") {
                fail("qty-3", "a Quantity with a unit code needs a system (http://unitsofmeasure.org for UCUM)")
            }
        case "Ratio":
            let numerator = node["numerator"] != nil, denominator = node["denominator"] != nil
            if numerator != denominator || (!numerator && node["extension"] == nil) {
                fail("rat-1", "a Ratio has both a numerator and a denominator, or neither (and then an extension)")
            }
        case "Range":
            if let low = node["low"], let high = node["high"], let order = compare(low, high), order > 0 {
                fail("rng-2", "the Range's low (\(describe(low))) is above its high (\(describe(high)))")
            }
        case "Period":
            if let start = node["start"]?.text.flatMap(FHIRMoment.init),
                let end = node["end"]?.text.flatMap(FHIRMoment.init),
                start.isAfter(end)
            {
                fail(
                    "per-1",
                    "the Period's start (\(node["start"]?.text ?? "")) is after its end (\(node["end"]?.text ?? ""))")
            }
        case "Timing.repeat":
            checkTiming(node, fail)
        case "Observation":
            if node["dataAbsentReason"] != nil && node.hasChoice("value") {
                fail("obs-6", "dataAbsentReason is given together with a value[x]; it explains a missing value only")
            }
            let codes = codings(node["code"])
            if node.hasChoice("value"), !codes.isEmpty,
                (node["component"]?.items ?? []).contains(where: { !codings($0["code"]).isDisjoint(with: codes) })
            {
                fail(
                    "obs-7",
                    "a component has the same code as the Observation, so the Observation itself must not have a value[x]"
                )
            }
        case "Observation.referenceRange":
            if node["low"] == nil && node["high"] == nil && !node.has("text") {
                fail("obs-3", "a referenceRange has at least a low, a high or a text")
            }
        case "MedicationAdministration.dosage":
            if node["dose"] == nil && !node.hasChoice("rate") {
                fail("mad-1", "the dosage has a dose or a rate[x] (or both)")
            }
        case "Condition":
            checkCondition(node, fail)
        case "Condition.stage":
            if node["summary"] == nil && node["assessment"] == nil {
                fail("con-1", "a stage has a summary or an assessment")
            }
        case "Condition.evidence":
            if node["code"] == nil && node["detail"] == nil { fail("con-2", "evidence has a code or a detail") }
        case "Patient.contact":
            if node["name"] == nil && node["telecom"] == nil && node["address"] == nil && node["organization"] == nil {
                fail("pat-1", "a contact has a name, telecom, address or organization")
            }
        case "Bundle":
            checkBundle(node, at: path, into: &findings)
        case "Bundle.entry":
            if node["resource"] == nil && node["request"] == nil && node["response"] == nil {
                fail("bdl-5", "an entry has a resource, a request or a response")
            }
            if let url = node["fullUrl"]?.text, url.contains("/_history/") {
                fail("bdl-8", "fullUrl '\(url)' is version specific (contains /_history/); it must not be")
            }
        default:
            break
        }
    }

    /// dom-2, dom-4 and dom-5, on a resource that is contained in another.
    static func checkContained(_ node: ElementNode, at path: FHIRPathBuilder, into findings: inout [ValidationFinding])
    {
        func fail(_ key: String, _ message: String) {
            findings.append(ValidationFinding(.error, .invariant, rule: key, message, at: path.expression))
        }
        if node["contained"] != nil { fail("dom-2", "a contained resource must not contain resources itself") }
        if let meta = node["meta"], meta.has("versionId") || meta.has("lastUpdated") {
            fail("dom-4", "a contained resource has no meta.versionId or meta.lastUpdated")
        }
        if node["meta"]?["security"] != nil {
            fail("dom-5", "a contained resource has no security label (meta.security)")
        }
    }

    // MARK: Types

    private static func checkTiming(_ node: ElementNode, _ fail: (String, String, ValidationFinding.Severity) -> Void) {
        if node.has("duration") && !node.has("durationUnit") {
            fail("tim-1", "a duration needs a durationUnit", .error)
        }
        if node.has("period") && !node.has("periodUnit") { fail("tim-2", "a period needs a periodUnit", .error) }
        if let duration = node["duration"]?.text.flatMap(ExactDecimal.init), duration.isNegative {
            fail("tim-4", "duration \(duration) is negative; it must be 0 or more", .error)
        }
        if let period = node["period"]?.text.flatMap(ExactDecimal.init), period.isNegative {
            fail("tim-5", "period \(period) is negative; it must be 0 or more", .error)
        }
        if node.has("periodMax") && !node.has("period") { fail("tim-6", "periodMax needs a period", .error) }
        if node.has("durationMax") && !node.has("duration") { fail("tim-7", "durationMax needs a duration", .error) }
        if node.has("countMax") && !node.has("count") { fail("tim-8", "countMax needs a count", .error) }
        if node.has("offset") {
            let when = (node["when"]?.items ?? []).compactMap(\.text)
            if when.isEmpty || when.contains(where: { ["C", "CM", "CD", "CV"].contains($0) }) {
                fail("tim-9", "an offset needs a when that is not C, CM, CD or CV (meals)", .error)
            }
        }
        if node.has("timeOfDay") && node.has("when") {
            fail("tim-10", "timeOfDay and when cannot both be given", .error)
        }
    }

    private static let conditionClinical = "http://terminology.hl7.org/CodeSystem/condition-clinical"
    private static let conditionVerification = "http://terminology.hl7.org/CodeSystem/condition-ver-status"

    private static func checkCondition(
        _ node: ElementNode, _ fail: (String, String, ValidationFinding.Severity) -> Void
    ) {
        let clinical = codes(node["clinicalStatus"], system: conditionClinical)
        let enteredInError = codes(node["verificationStatus"], system: conditionVerification).contains(
            "entered-in-error")
        let problemListItem = (node["category"]?.items ?? []).contains {
            codings($0).contains { $0.hasSuffix("|problem-list-item") }
        }
        if node["clinicalStatus"] == nil && !enteredInError && problemListItem {
            fail(
                "con-3", "a problem-list Condition that is not entered-in-error should have a clinicalStatus", .warning)
        }
        if node.hasChoice("abatement") && clinical.isDisjoint(with: ["inactive", "resolved", "remission"]) {
            fail("con-4", "an abated Condition has clinicalStatus inactive, resolved or remission", .error)
        }
        if enteredInError && node["clinicalStatus"] != nil {
            fail("con-5", "a Condition whose verificationStatus is entered-in-error has no clinicalStatus", .error)
        }
    }

    private static func checkBundle(
        _ node: ElementNode, at path: FHIRPathBuilder, into findings: inout [ValidationFinding]
    ) {
        func fail(_ key: String, _ message: String, _ at: FHIRPathBuilder? = nil) {
            findings.append(ValidationFinding(.error, .invariant, rule: key, message, at: (at ?? path).expression))
        }
        let type = node["type"]?.text ?? ""
        let entries = node["entry"]?.items ?? []
        func entryPath(_ index: Int, _ element: String? = nil) -> FHIRPathBuilder {
            var entry = path
            entry.append(element: "entry")
            entry.append(index: index)
            if let element { entry.append(element: element) }
            return entry
        }
        if node.has("total") && !["searchset", "history"].contains(type) {
            fail("bdl-1", "total is only for a searchset or history Bundle, not a \(type) Bundle")
        }
        for (index, entry) in entries.enumerated() {
            if entry["search"] != nil && type != "searchset" {
                fail(
                    "bdl-2", "entry.search is only for a searchset Bundle, not a \(type) Bundle",
                    entryPath(index, "search"))
            }
            let needsRequest = ["batch", "transaction", "history"].contains(type)
            if (entry["request"] != nil) != needsRequest {
                fail(
                    "bdl-3",
                    needsRequest
                        ? "entry.request is required in a \(type) Bundle"
                        : "entry.request is not allowed in a \(type) Bundle",
                    entryPath(index, needsRequest ? nil : "request"))
            }
            let needsResponse = ["batch-response", "transaction-response", "history"].contains(type)
            if (entry["response"] != nil) != needsResponse {
                fail(
                    "bdl-4",
                    needsResponse
                        ? "entry.response is required in a \(type) Bundle"
                        : "entry.response is not allowed in a \(type) Bundle",
                    entryPath(index, needsResponse ? nil : "response"))
            }
        }
        if type != "history" {
            var seen: Set<String> = []
            for (index, entry) in entries.enumerated() {
                guard let url = entry["fullUrl"]?.text else { continue }
                let key = url + "|" + (entry["resource"]?["meta"]?["versionId"]?.text ?? "")
                if !seen.insert(key).inserted {
                    fail(
                        "bdl-7", "fullUrl '\(url)' occurs twice (with the same meta.versionId)",
                        entryPath(index, "fullUrl"))
                }
            }
        }
        if type == "document" {
            if node["identifier"]?["system"] == nil || node["identifier"]?["value"] == nil {
                fail("bdl-9", "a document Bundle has an identifier with a system and a value")
            }
            if !node.has("timestamp") { fail("bdl-10", "a document Bundle has a timestamp") }
            if entries.first?["resource"]?["resourceType"]?.text != "Composition" {
                fail("bdl-11", "a document Bundle starts with a Composition")
            }
        }
        if type == "message" && entries.first?["resource"]?["resourceType"]?.text != "MessageHeader" {
            fail("bdl-12", "a message Bundle starts with a MessageHeader")
        }
    }

    // MARK: Helpers

    /// `system|code` of every coding of a CodeableConcept.
    private static func codings(_ concept: ElementNode?) -> Set<String> {
        Set(
            (concept?["coding"]?.items ?? []).compactMap { coding in
                coding["code"]?.text.map { (coding["system"]?.text ?? "") + "|" + $0 }
            })
    }

    private static func codes(_ concept: ElementNode?, system: String) -> Set<String> {
        Set(
            (concept?["coding"]?.items ?? []).compactMap { coding in
                coding["system"]?.text == system ? coding["code"]?.text : nil
            })
    }

    /// Compares two Quantities' values, converting units through UCUM when their codes differ;
    /// `nil` when either has no value or the units cannot be compared.
    private static func compare(_ a: ElementNode, _ b: ElementNode) -> Int? {
        guard let aText = a["value"]?.text, let bText = b["value"]?.text,
            var aValue = ExactDecimal(aText), let bValue = ExactDecimal(bText)
        else { return nil }
        let aCode = a["code"]?.text, bCode = b["code"]?.text
        if let aCode, let bCode, aCode != bCode {
            guard let converted = try? UCUM.convert(aValue, from: aCode, to: bCode), converted.isExact else {
                return nil
            }
            aValue = converted.value
        } else if aCode != bCode {
            return nil
        }
        return aValue < bValue ? -1 : (aValue == bValue ? 0 : 1)
    }

    private static func describe(_ quantity: ElementNode) -> String {
        [quantity["value"]?.text, quantity["code"]?.text ?? quantity["unit"]?.text].compactMap { $0 }.joined(
            separator: " ")
    }
}
