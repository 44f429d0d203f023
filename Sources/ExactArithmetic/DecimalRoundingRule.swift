/// How a decimal is rounded when digits are dropped.
public enum DecimalRoundingRule: Sendable, Hashable, CaseIterable {
    /// To the nearest; ties to the even digit (`0.125` → `0.12`). Also called banker's rounding.
    case toNearestOrEven
    /// To the nearest; ties away from zero (`0.125` → `0.13`, `-0.125` → `-0.13`), as taught
    /// at school.
    case toNearestOrAwayFromZero
    /// Toward zero: the dropped digits are cut off (`0.129` → `0.12`).
    case towardZero
    /// Away from zero: any dropped nonzero digit bumps the last kept one (`0.121` → `0.13`).
    case awayFromZero
}
