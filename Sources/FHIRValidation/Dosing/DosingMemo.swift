import FHIRCore

/// What the dosing rules work out about an order, kept while one validator checks the records
/// of one context. Each administration asks again for its order's facts and course, and each
/// order for the courses of its patient's other orders; both depend only on the order, the
/// context and the rules, which do not change during one ``Validator/validate(records:in:)``.
/// So does what a medication is: an order, each of its administrations and the patient's other
/// orders name the same Medication.
final class DosingMemo {
    private var gathered: [Int: OrderRules.Gathered] = [:]
    private var courses: [CourseKey: OrderedCourse] = [:]
    /// By the entry a `medicationReference` resolves to (`nil`: not a Medication).
    private var medications: [Int: MedicationIdentity?] = [:]
    /// By the entry of the order or administration whose `medicationCodeableConcept` it is.
    private var concepts: [Int: MedicationIdentity] = [:]

    private struct CourseKey: Hashable {
        let entry: Int
        let dosage: Int
    }

    /// The facts of the order at `entry`, gathered by `gather` the first time they are asked for.
    func gathered(entry: Int, _ gather: () -> OrderRules.Gathered) -> OrderRules.Gathered {
        if let known = gathered[entry] { return known }
        let facts = gather()
        gathered[entry] = facts
        return facts
    }

    /// The course of the order's dosage instruction at `index`, read the first time it is asked for.
    func course(
        of order: MedicationRequest, index: Int, entry: Int, context: ValidationContext
    ) -> OrderedCourse {
        let key = CourseKey(entry: entry, dosage: index)
        if let known = courses[key] { return known }
        let course = OrderedCourse(order: order, index: index, entry: entry, context: context)
        courses[key] = course
        return course
    }

    /// What the Medication at `entry` is (`nil` when the entry is not a Medication), identified by
    /// `identify` the first time it is asked for.
    func medication(entry: Int, _ identify: () -> MedicationIdentity?) -> MedicationIdentity? {
        if let known = medications[entry] { return known }
        let identity = identify()
        medications[entry] = identity
        return identity
    }

    /// What the `medicationCodeableConcept` of the resource at `entry` names, identified by
    /// `identify` the first time it is asked for.
    func concept(ofEntry entry: Int, _ identify: () -> MedicationIdentity) -> MedicationIdentity {
        if let known = concepts[entry] { return known }
        let identity = identify()
        concepts[entry] = identity
        return identity
    }
}
