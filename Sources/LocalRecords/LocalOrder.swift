/// A local IVIG order (`"kind": "order"`): one course, or one maintenance cycle, for a patient.
///
/// Becomes a FHIR `MedicationRequest` with the product as a contained `Medication` and the
/// weight (and height) used for dosing as contained body-weight (height) `Observation`s.
public struct LocalOrder: Hashable, Sendable {
    /// `id`: the order id.
    public var id: String
    /// `mrn`: the patient's medical record number.
    public var mrn: String
    /// `weight`: the body weight used for dosing.
    public var weight: LocalQuantity
    /// `height`: the height used for dosing (dose-determining weight), if recorded.
    public var height: LocalQuantity?
    /// `indication`: the local indication code (`CIDP`).
    public var indication: String
    /// `product`: the local product code (`PRIV10`).
    public var product: String
    /// `dose_per_kg`: the total dose of the course per kg (`2 g/kg`).
    public var dosePerKg: LocalQuantity
    /// `dose_per_day`: the dose given each day, in grams (vial-rounded).
    public var dosePerDay: LocalQuantity
    /// `days`: the number of consecutive days the course is divided over.
    public var days: Int
    /// `interval`: for maintenance, the time from one cycle to the next (`3 wk`).
    public var interval: LocalQuantity?
    /// `initial_rate`: the rate to start at.
    public var initialRate: LocalQuantity
    /// `max_rate`: the highest rate allowed if tolerated.
    public var maxRate: LocalQuantity?
    /// `premedication`: free-text premedication orders, in order; empty when none.
    public var premedication: [String]
    /// `prescriber`: the prescriber's staff id.
    public var prescriber: String
    /// `ordered_at`: when the order was signed (ISO 8601 date-time).
    public var orderedAt: String
    /// `status`: the local order status code.
    public var status: String
    /// `comment`: free text.
    public var comment: String?

    /// Creates an order.
    public init(
        id: String, mrn: String, weight: LocalQuantity, height: LocalQuantity? = nil, indication: String,
        product: String, dosePerKg: LocalQuantity, dosePerDay: LocalQuantity, days: Int,
        interval: LocalQuantity? = nil, initialRate: LocalQuantity, maxRate: LocalQuantity? = nil,
        premedication: [String] = [], prescriber: String, orderedAt: String, status: String, comment: String? = nil
    ) {
        self.id = id
        self.mrn = mrn
        self.weight = weight
        self.height = height
        self.indication = indication
        self.product = product
        self.dosePerKg = dosePerKg
        self.dosePerDay = dosePerDay
        self.days = days
        self.interval = interval
        self.initialRate = initialRate
        self.maxRate = maxRate
        self.premedication = premedication
        self.prescriber = prescriber
        self.orderedAt = orderedAt
        self.status = status
        self.comment = comment
    }
}
