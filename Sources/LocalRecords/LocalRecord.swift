public import FHIRCore

/// One record of the hospital's local IVIG format, schema version 1 (`Mappings/local-record.schema.json`).
///
/// Wire format: one JSON object per record (one line of NDJSON), told apart by its `kind`:
/// `order`, `infusion`, `assessment` or `reaction`. Codes (indication, product, kinds, statuses)
/// and units are the hospital's own; `Mappings/` translates them.
public enum LocalRecord: Hashable, Sendable {
    case order(LocalOrder)
    case infusion(LocalInfusion)
    case assessment(LocalAssessment)
    case reaction(LocalReaction)

    /// The record's `kind` as written in the local format.
    public var kind: LocalRecordKind {
        switch self {
        case .order: return .order
        case .infusion: return .infusion
        case .assessment: return .assessment
        case .reaction: return .reaction
        }
    }

    /// The record's local id (`id`), unique within its kind.
    public var id: String {
        switch self {
        case .order(let record): return record.id
        case .infusion(let record): return record.id
        case .assessment(let record): return record.id
        case .reaction(let record): return record.id
        }
    }
}

/// The four kinds of local record, by their `kind` value.
public enum LocalRecordKind: String, Hashable, Sendable, CaseIterable {
    case order, infusion, assessment, reaction
}

/// A number with the unit a person typed, e.g. `{"value": 154, "unit": "lbs"}`.
///
/// The value keeps its exact text (`72.50` stays `72.50`); the unit is the local spelling,
/// translated to UCUM through the unit ConceptMap. A unit may be absent for a pure number
/// such as a score.
public struct LocalQuantity: Hashable, Sendable {
    /// The number exactly as written.
    public var value: FHIRDecimal
    /// The unit as typed locally (`gm`, `mL/hr`, `lbs`), or `nil` for a unitless value.
    public var unit: String?

    /// Creates a quantity.
    public init(value: FHIRDecimal, unit: String?) {
        self.value = value
        self.unit = unit
    }
}
