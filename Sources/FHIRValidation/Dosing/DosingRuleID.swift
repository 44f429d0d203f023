/// The ids of the IVIG dosing rules and of the information about missing context, each written
/// once: the rules report them and ``ValidationRuleCatalog`` describes them. Ids are stable
/// (software matches on them in `OperationOutcome.issue.details.coding`).
public struct DosingRuleID: Hashable, Sendable, CustomStringConvertible {
    /// The id as findings carry it (`ivig-admin-dose`).
    public let rawValue: String
    public var description: String { rawValue }
    private init(_ rawValue: String) { self.rawValue = rawValue }

    public static let courseDose = DosingRuleID("ivig-course-dose")
    public static let dailyDose = DosingRuleID("ivig-daily-dose")
    public static let courseDays = DosingRuleID("ivig-course-days")
    public static let courseInterval = DosingRuleID("ivig-course-interval")
    public static let doseWeight = DosingRuleID("ivig-dose-weight")
    public static let dosingWeight = DosingRuleID("ivig-dosing-weight")
    public static let rateInitial = DosingRuleID("ivig-rate-initial")
    public static let rateMax = DosingRuleID("ivig-rate-max")
    public static let productConcentration = DosingRuleID("ivig-product-concentration")
    public static let adminSubject = DosingRuleID("ivig-admin-subject")
    public static let adminProduct = DosingRuleID("ivig-admin-product")
    public static let adminDose = DosingRuleID("ivig-admin-dose")
    public static let adminDate = DosingRuleID("ivig-admin-date")
    public static let adminStopped = DosingRuleID("ivig-admin-stopped")
    public static let weightRange = DosingRuleID("ivig-weight-range")
    public static let strengthScale = DosingRuleID("ivig-strength-scale")
    public static let adverseEventLink = DosingRuleID("ivig-adverse-event-link")
    public static let adverseEventDate = DosingRuleID("ivig-adverse-event-date")

    public static let contextMedication = DosingRuleID("ivig-context-medication")
    public static let contextIndication = DosingRuleID("ivig-context-indication")
    public static let contextWeight = DosingRuleID("ivig-context-weight")
    public static let contextDose = DosingRuleID("ivig-context-dose")
    public static let contextProduct = DosingRuleID("ivig-context-product")
    public static let contextOrder = DosingRuleID("ivig-context-order")
    public static let contextAdministration = DosingRuleID("ivig-context-administration")
}
