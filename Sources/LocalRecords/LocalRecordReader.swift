public import FHIRCore
internal import FHIRJSON

/// Reads local records (schema version 1) from JSON: strict about types, required fields and
/// unknown fields, and exact about numbers (their text is kept, never read through `Double`).
///
/// Codes and units are not checked here; the mapping checks them against `Mappings/`.
public struct LocalRecordReader: Sendable {
    /// What the reader accepts: record size, string length and nesting (a local record is flat,
    /// so nesting is held to 16 levels whatever the limits say).
    public var limits: FHIRReadLimits

    /// Creates a reader.
    /// - Parameter limits: the reader limits (default ``FHIRReadLimits/default``).
    public init(limits: FHIRReadLimits = .default) {
        self.limits = limits
    }

    /// Reads one record from one JSON object (one NDJSON line).
    /// - Parameters:
    ///   - bytes: the JSON text of the record.
    ///   - origin: where it came from, for error messages.
    /// - Throws: ``LocalRecordError`` naming the record, the field and the value.
    public func record(fromJSON bytes: [UInt8], origin: LocalRecordOrigin = LocalRecordOrigin())
        throws(LocalRecordError) -> LocalRecord
    {
        let tree: JSONTree
        do throws(FHIRDiagnostic) {
            var recordLimits = limits
            recordLimits.maxDepth = min(limits.maxDepth, 16)
            tree = try JSONTree.parse(bytes, limits: recordLimits)
        } catch {
            let isLimit = error.code == .tooLarge || error.code == .tooDeep
            throw LocalRecordError(.notARecord, isLimit ? error.message : "not JSON: \(error.message)")
                .about(kind: nil, id: nil, origin: origin)
        }
        guard case .object(let members) = tree else {
            throw LocalRecordError(
                .notARecord, "a local record is a JSON object, found \(LocalFields.typeName(tree))",
                value: LocalJSONText.brief(tree)
            ).about(kind: nil, id: nil, origin: origin)
        }
        // The id is read first and leniently, only to name the record in any later error.
        var id: String?
        if case .string(let text)? = members["id"], !text.isEmpty { id = text }
        var kindName: String?
        var fields = LocalFields(members)
        do throws(LocalRecordError) {
            let kindText = try fields.string("kind")
            kindName = kindText
            guard let kind = LocalRecordKind(rawValue: kindText) else {
                throw LocalRecordError(
                    .invalidValue, "expected one of order, infusion, assessment, reaction",
                    field: "kind", value: LocalJSONText.quoted(kindText))
            }
            let record: LocalRecord
            switch kind {
            case .order: record = .order(try Self.order(&fields))
            case .infusion: record = .infusion(try Self.infusion(&fields))
            case .assessment: record = .assessment(try Self.assessment(&fields))
            case .reaction: record = .reaction(try Self.reaction(&fields))
            }
            try fields.rejectUnknownFields()
            return record
        } catch {
            throw error.about(kind: kindName, id: id, origin: origin)
        }
    }

    private static func order(_ fields: inout LocalFields) throws(LocalRecordError) -> LocalOrder {
        LocalOrder(
            id: try fields.string("id"), mrn: try fields.string("mrn"),
            weight: try fields.quantity("weight"), height: try fields.optionalQuantity("height"),
            indication: try fields.string("indication"), product: try fields.string("product"),
            dosePerKg: try fields.quantity("dose_per_kg"), dosePerDay: try fields.quantity("dose_per_day"),
            days: try fields.positiveInteger("days"), interval: try fields.optionalQuantity("interval"),
            initialRate: try fields.quantity("initial_rate"), maxRate: try fields.optionalQuantity("max_rate"),
            premedication: try fields.optionalStringArray("premedication"),
            prescriber: try fields.string("prescriber"), orderedAt: try fields.dateTime("ordered_at"),
            status: try fields.string("status"), comment: try fields.optionalString("comment"))
    }

    private static func infusion(_ fields: inout LocalFields) throws(LocalRecordError) -> LocalInfusion {
        LocalInfusion(
            id: try fields.string("id"), orderID: try fields.string("order_id"), mrn: try fields.string("mrn"),
            product: try fields.string("product"), lot: try fields.optionalString("lot"),
            dose: try fields.optionalQuantity("dose"), volume: try fields.optionalQuantity("volume"),
            rateSteps: try fields.optionalObjectArray("rate_steps") {
                (step: inout LocalFields) throws(LocalRecordError) in
                LocalInfusion.RateStep(at: try step.dateTime("at"), rate: try step.quantity("rate"))
            },
            start: try fields.dateTime("start"), end: try fields.optionalDateTime("end"),
            status: try fields.string("status"), nurse: try fields.optionalString("nurse"),
            reaction: try fields.optionalBool("reaction"), comment: try fields.optionalString("comment"))
    }

    private static func assessment(_ fields: inout LocalFields) throws(LocalRecordError) -> LocalAssessment {
        let id = try fields.string("id"), mrn = try fields.string("mrn"), type = try fields.string("type")
        let result = try fields.quantity("result"), takenAt = try fields.dateTime("taken_at")
        let status = try fields.string("status")
        var timing: LocalAssessment.Timing?
        if let text = try fields.optionalString("timing") {
            guard let value = LocalAssessment.Timing(rawValue: text) else {
                throw LocalRecordError(
                    .invalidValue, "expected baseline or follow-up", field: "timing",
                    value: LocalJSONText.quoted(text))
            }
            timing = value
        }
        return LocalAssessment(
            id: id, mrn: mrn, type: type, result: result, takenAt: takenAt, status: status, timing: timing,
            orderID: try fields.optionalString("order_id"), comment: try fields.optionalString("comment"))
    }

    private static func reaction(_ fields: inout LocalFields) throws(LocalRecordError) -> LocalReaction {
        LocalReaction(
            id: try fields.string("id"), mrn: try fields.string("mrn"), infusionID: try fields.string("infusion_id"),
            type: try fields.string("type"), severity: try fields.string("severity"),
            serious: try fields.bool("serious"), onset: try fields.dateTime("onset"),
            action: try fields.optionalString("action"), outcome: try fields.optionalString("outcome"))
    }
}
