public import ExactArithmetic
public import FHIRCore

/// Exact arithmetic on FHIR decimals, for validation (dose per kg × weight, comparisons against
/// limits). The text is parsed into an ``ExactDecimal`` (a big integer and a power of ten); no
/// `Double` is involved, so `0.1 + 0.2` is `0.3` and `0.4 × 72.5` is `29.00`.
extension FHIRDecimal {
    /// The exact value, or `nil` for an exponent beyond ±10 000 (valid FHIR, but no dose or
    /// lab value needs it, and the arithmetic refuses it rather than run out of memory).
    public var exactValue: ExactDecimal? { try? ExactDecimal(parsing: text) }

    /// A decimal written from an exact value, with all its digits (`29.00` stays `29.00`).
    public init(_ value: ExactDecimal) {
        // ExactDecimal's description is plain decimal text (digits, one optional '-' and '.'),
        // always inside FHIR's decimal grammar, so this cannot fail.
        self = try! FHIRDecimal(value.description)
    }

    /// Whether two decimals have the same value whatever their spelling (`1.50` and `1.5`).
    /// `==` compares the text, because the text is what a lossless conversion must keep.
    public func isNumericallyEqual(to other: FHIRDecimal) -> Bool {
        guard let lhs = exactValue, let rhs = other.exactValue else { return text == other.text }
        return lhs == rhs
    }
}
