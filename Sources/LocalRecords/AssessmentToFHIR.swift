internal import FHIRCore

extension LocalToFHIR {
    /// An assessment as an Observation.
    ///
    /// | local | FHIR |
    /// | --- | --- |
    /// | `id` | `identifier` (assessment system) and the resource id |
    /// | `mrn` | `subject.identifier` |
    /// | `type` | `code` and `category` (ConceptMap: LOINC or ivig-assessment; observation-category) |
    /// | `result` | `valueQuantity` (typed unit in `unit`, UCUM in `code`; a unitless score has neither) |
    /// | `taken_at` | `effectiveDateTime` |
    /// | `status` | `status` (ConceptMap) |
    /// | `timing` | extension `assessment-timing` (`baseline` or `follow-up`) |
    /// | `order_id` | `basedOn[0]` (urn:uuid of the order, with its identifier) |
    /// | `comment` | `note[0].text` |
    func observation(for assessment: LocalAssessment) throws(LocalRecordError) -> Observation {
        let status = try mappings.code(
            for: assessment.status, role: .assessmentStatus, in: FHIRSystems.observationStatus,
            field: "status")
        let codings = try mappings.codings(for: assessment.type, role: .assessmentType, field: "type")
        let categories = codings.filter { $0.system == FHIRSystems.observationCategory }
        let codes = codings.filter { $0.system != FHIRSystems.observationCategory }
        guard !codes.isEmpty else {
            throw LocalRecordError(
                .unknownCode, "local code maps only to an observation category, not to a code",
                field: "type", value: LocalJSONText.quoted(assessment.type),
                conceptMap: mappings.searched(.assessmentType))
        }
        return Observation(
            id: .init(resourceID(kind: .assessment, id: assessment.id)),
            extension: assessment.timing.map {
                [Extension(url: LocalExtensions.assessmentTiming, value: .code(.init($0.rawValue)))]
            } ?? [],
            identifier: [identifier(kind: .assessment, id: assessment.id)],
            basedOn: assessment.orderID.map { [reference(to: .order, id: $0, type: "MedicationRequest")] } ?? [],
            status: .init(status.code),
            category: categories.map { concept([$0]) },
            code: concept(codes),
            subject: patient(assessment.mrn),
            effective: .dateTime(try dateTime(assessment.takenAt, field: "taken_at")),
            value: .quantity(try quantity(assessment.result, field: "result")),
            note: note(assessment.comment))
    }
}
