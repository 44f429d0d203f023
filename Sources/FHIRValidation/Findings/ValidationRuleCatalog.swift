/// Every rule id validation can report, with its layer and what it checks. Rule ids are
/// stable: software may match on them (they are in `OperationOutcome.issue.details.coding`).
public enum ValidationRuleCatalog {
    /// One rule.
    public struct Rule: Hashable, Sendable {
        /// The layer a rule belongs to.
        public enum Layer: String, Hashable, Sendable {
            case structure, invariant, units, dosing, context
        }

        /// The stable rule id.
        public let id: String
        /// Which layer reports it.
        public let layer: Layer
        /// What it checks, in a sentence.
        public let summary: String
    }

    /// The rules, by layer.
    public static let rules: [Rule] = structure + conformance + invariants + units + dosing + context

    /// The rule with an id, if there is one.
    public static func rule(_ id: String) -> Rule? { rules.first { $0.id == id } }

    private static func rule(_ id: String, _ layer: Rule.Layer, _ summary: String) -> Rule {
        Rule(id: id, layer: layer, summary: summary)
    }

    private static func rule(_ id: DosingRuleID, _ layer: Rule.Layer, _ summary: String) -> Rule {
        Rule(id: id.rawValue, layer: layer, summary: summary)
    }

    static let structure: [Rule] = [
        rule(
            "struct-syntax", .structure, "The input is well-formed FHIR JSON or XML (fatal: nothing else is checked)."),
        rule(
            "struct-limit", .structure,
            "The input is within the reader's limits: record size, nesting, string length, Bundle entries (fatal for that record; change them with --max-record-bytes, --max-depth, --max-string-bytes, --max-bundle-entries)."
        ),
        rule(
            "struct-encoding", .structure,
            "The decoded resource can be re-read for validation (fatal; an internal error)."),
        rule("struct-resource-type", .structure, "The resource type is one ivig-fhir supports."),
        rule("struct-unknown-element", .structure, "Every element is defined by FHIR R4 for its type."),
        rule("struct-element-order", .structure, "XML elements come in specification order."),
        rule("struct-choice-multiple", .structure, "A choice element (value[x], dose[x], rate[x]) has one type only."),
        rule("struct-type", .structure, "A value has the JSON/XML type its element needs (a number, not a string)."),
        rule("struct-invalid", .structure, "Anything else the model rejects when reading."),
        rule(
            "struct-narrative", .structure,
            "A narrative (text.div) is well-formed XHTML in a div of the XHTML namespace."),
        rule(
            "struct-cardinality-min", .structure,
            "Required elements are present (min cardinality, from the definitions)."),
        rule("struct-cardinality-max", .structure, "Elements do not repeat more than allowed (max cardinality)."),
        rule(
            "struct-binding", .structure,
            "Codes with a required binding are in the value set (status, intent, actuality, …)."),
        rule(
            "struct-format", .structure,
            "Primitive values match their type's format (id, code, uri, oid, uuid, positiveInt, dates, …)."),
        rule(
            "struct-reference", .structure,
            "A reference is well-formed: Type/id, #contained-id, urn:uuid:, urn:oid: or an absolute URL."),
        rule("struct-reference-target", .structure, "A reference points to a resource type the element allows."),
    ]

    /// The rules of validation from the definitions (`FHIRConformance`). Its invariants are
    /// reported under their own keys (`ele-1`, `vs-3`, `us-core-6`), layer `invariant`, whatever
    /// package defines them; ``invariants`` lists those of the types IVIG records use.
    static let conformance: [Rule] = [
        rule("struct-fixed", .structure, "A value is exactly its definition's fixed[x] value."),
        rule("struct-pattern", .structure, "A value contains its definition's pattern[x] value."),
        rule("struct-max-length", .structure, "A string is no longer than its definition's maxLength."),
        rule(
            "struct-binding-extensible", .structure,
            "Codes with an extensible binding are in the value set when one fits (warning)."),
        rule(
            "struct-binding-unchecked", .structure,
            "Information: a binding's value set cannot be expanded offline (SNOMED CT, LOINC, …), so the code is not checked."
        ),
        rule("struct-slice-closed", .structure, "Items of a closed slicing match one of its slices."),
        rule(
            "struct-slice-order", .structure,
            "Items of an ordered slicing come in the order of the slices (and open-at-end ones last)."),
        rule(
            "ext-url", .structure,
            "An extension's url is absolute (only an extension inside another has a relative one)."),
        rule(
            "ext-unknown", .structure,
            "An extension is defined in the loaded packages (warning; --unknown-extensions error makes it an error)."),
        rule(
            "ext-context", .structure,
            "An extension is used where its definition's context allows it (never on Resource.id)."),
        rule("ext-modifier", .structure, "A modifier extension is in modifierExtension, any other in extension."),
        rule(
            "profile-unknown", .structure,
            "A profile in meta.profile is in the loaded packages (warning: it is not checked)."),
        rule("profile-type", .structure, "A profile applies to the resource's type."),
        rule("bundle-fullurl", .structure, "A RESTful fullUrl ends with its resource's type and id."),
        rule("bundle-link-relation", .structure, "A Bundle link relation appears once."),
        rule(
            "bundle-streamed", .structure,
            "Information: a Bundle read entry by entry (over 4 MiB or the record size limit) has each entry validated on its own; the rules "
                + "that need the whole Bundle are not checked."),
    ]

    static let invariants: [Rule] = [
        rule("dom-2", .invariant, "A contained resource contains no resources."),
        rule("dom-3", .invariant, "A contained resource is referenced from its container (or refers to it)."),
        rule("dom-4", .invariant, "A contained resource has no meta.versionId or meta.lastUpdated."),
        rule("dom-5", .invariant, "A contained resource has no security label."),
        rule(
            "dom-6", .invariant,
            "A resource (not a contained one) has a narrative (best practice: a warning; --best-practice)."),
        rule("ref-1", .invariant, "A local reference (#id) names a contained resource."),
        rule("ext-1", .invariant, "An extension has nested extensions or a value, not both."),
        rule("qty-3", .invariant, "A Quantity with a unit code has a system."),
        rule("rat-1", .invariant, "A Ratio has both numerator and denominator, or neither."),
        rule("rng-2", .invariant, "A Range's low is not above its high."),
        rule("per-1", .invariant, "A Period's start is not after its end."),
        rule("tim-1", .invariant, "Timing: a duration has a durationUnit."),
        rule("tim-2", .invariant, "Timing: a period has a periodUnit."),
        rule("tim-4", .invariant, "Timing: duration is not negative."),
        rule("tim-5", .invariant, "Timing: period is not negative."),
        rule("tim-6", .invariant, "Timing: periodMax needs period."),
        rule("tim-7", .invariant, "Timing: durationMax needs duration."),
        rule("tim-8", .invariant, "Timing: countMax needs count."),
        rule("tim-9", .invariant, "Timing: offset needs a when that is not a meal code."),
        rule("tim-10", .invariant, "Timing: timeOfDay and when are not both given."),
        rule("obs-3", .invariant, "Observation.referenceRange has a low, a high or a text."),
        rule("obs-6", .invariant, "Observation.dataAbsentReason only when there is no value[x]."),
        rule("obs-7", .invariant, "No Observation value[x] when a component has the Observation's code."),
        rule("mad-1", .invariant, "MedicationAdministration.dosage has a dose or a rate."),
        rule("con-1", .invariant, "Condition.stage has a summary or an assessment."),
        rule("con-2", .invariant, "Condition.evidence has a code or a detail."),
        rule("con-3", .invariant, "A problem-list Condition has a clinicalStatus (warning)."),
        rule("con-4", .invariant, "An abated Condition is inactive, resolved or in remission."),
        rule("con-5", .invariant, "An entered-in-error Condition has no clinicalStatus."),
        rule("pat-1", .invariant, "A Patient.contact has details or an organization."),
        rule("bdl-1", .invariant, "Bundle.total only in a searchset or history."),
        rule("bdl-2", .invariant, "Bundle.entry.search only in a searchset."),
        rule("bdl-3", .invariant, "Bundle.entry.request exactly in batch, transaction and history Bundles."),
        rule(
            "bdl-4", .invariant,
            "Bundle.entry.response exactly in batch-response, transaction-response and history Bundles."),
        rule("bdl-5", .invariant, "A Bundle entry has a resource, a request or a response."),
        rule("bdl-7", .invariant, "fullUrl is unique in a Bundle (per meta.versionId)."),
        rule("bdl-8", .invariant, "fullUrl is not version-specific."),
        rule("bdl-9", .invariant, "A document Bundle has an identifier with system and value."),
        rule("bdl-10", .invariant, "A document Bundle has a timestamp."),
        rule("bdl-11", .invariant, "A document Bundle starts with a Composition."),
        rule("bdl-12", .invariant, "A message Bundle starts with a MessageHeader."),
    ]

    static let units: [Rule] = [
        rule("ucum-quantity-value", .units, "A Quantity's value is a decimal number."),
        rule("ucum-quantity-system", .units, "A UCUM code has system http://unitsofmeasure.org."),
        rule("ucum-quantity-code", .units, "The code is valid UCUM (case-sensitive: mL, not ML)."),
        rule(
            "ucum-quantity-human-spelling", .units,
            "No human spellings for UCUM codes (hr, mcg, gm, mls), with the code probably meant."),
        rule("ucum-quantity-unit-mismatch", .units, "The unit text names the same unit as the code (warning)."),
    ]

    static let dosing: [Rule] = [
        rule(DosingRuleID.courseDose, .dosing, "The course dose per kg is in the indication's range for its regimen."),
        rule(
            DosingRuleID.dailyDose, .dosing,
            "The dose per day is in the regimen's range and not above the indication's daily maximum (1 g/kg; Kawasaki 2 g/kg)."
        ),
        rule(DosingRuleID.courseDays, .dosing, "The course lasts the regimen's number of days (and 1 to 5)."),
        rule(
            DosingRuleID.courseInterval, .dosing,
            "Courses are the regimen's interval apart (error when sooner, warning when later; warning for a second GBS course)."
        ),
        rule(
            DosingRuleID.doseWeight, .dosing,
            "A dose in grams matches dose per kg × the latest body weight before the order (within vial rounding)."),
        rule(
            DosingRuleID.dosingWeight, .dosing,
            "Information: ideal and dose-determining weight when height is known and BMI is over 30."),
        rule(
            DosingRuleID.rateInitial, .dosing,
            "The starting infusion rate is not above the product's label initial rate (warning)."),
        rule(
            DosingRuleID.rateMax, .dosing,
            "An infusion rate is not above the product's label maximum rate; for a product not identified, not above every label maximum of its concentration (error) nor some of them (warning naming those that allow it)."
        ),
        rule(
            DosingRuleID.productConcentration, .dosing,
            "The Medication's strength agrees with the product table (warning)."),
        rule(DosingRuleID.adminSubject, .dosing, "An infusion is for the patient its order is for."),
        rule(DosingRuleID.adminProduct, .dosing, "An infusion gives the product its order names."),
        rule(DosingRuleID.adminDose, .dosing, "An infusion's dose is within tolerance of the ordered dose."),
        rule(DosingRuleID.adminDate, .dosing, "An infusion is dated within its order's course."),
        rule(
            DosingRuleID.adminStopped, .dosing,
            "Information: an infusion stopped (or with a statusReason) gave less than ordered; not a dose error. Names its AdverseEvent."
        ),
        rule(DosingRuleID.weightRange, .dosing, "A body weight is a mass within 0.3–400 kg."),
        rule(DosingRuleID.strengthScale, .dosing, "Grip strength is in kg; MRC sum score 0–60; INCAT 0–10."),
        rule(
            DosingRuleID.adverseEventLink, .dosing,
            "An adverse event of a patient with IVIG infusions names the infusion it follows (warning)."),
        rule(
            DosingRuleID.adverseEventDate, .dosing, "An adverse event is not dated before the infusion it is linked to."
        ),
    ]

    static let context: [Rule] = [
        rule(
            DosingRuleID.contextMedication, .context,
            "Information: the medication is not in the input, so whether the order is IVIG is unknown."),
        rule(
            DosingRuleID.contextIndication, .context,
            "Information: no indication could be found (reasonCode, or a Condition in the input)."),
        rule(
            DosingRuleID.contextWeight, .context, "Information: no usable body weight before the order is in the input."
        ),
        rule(
            DosingRuleID.contextDose, .context,
            "Information: a dose, rate or course length cannot be read (range, non-UCUM unit, no timing)."),
        rule(
            DosingRuleID.contextProduct, .context,
            "Information: the product or its label rates are unknown, so rates are not checked."),
        rule(DosingRuleID.contextOrder, .context, "Information: an infusion's order is not in the input."),
        rule(
            DosingRuleID.contextAdministration, .context,
            "Information: an adverse event's infusion is not in the input, or it names none."),
    ]
}
