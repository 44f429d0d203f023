/// A local IVIG infusion (`"kind": "infusion"`): one bag or day of an order, as given.
///
/// Becomes a FHIR `MedicationAdministration` that refers to its order's `MedicationRequest`.
public struct LocalInfusion: Hashable, Sendable {
    /// `id`: the infusion id.
    public var id: String
    /// `order_id`: the order this infusion carries out.
    public var orderID: String
    /// `mrn`: the patient's medical record number.
    public var mrn: String
    /// `product`: the local product code actually hung.
    public var product: String
    /// `lot`: the lot (batch) number, if recorded.
    public var lot: String?
    /// `dose`: the amount of IgG given (grams).
    public var dose: LocalQuantity?
    /// `volume`: the volume infused.
    public var volume: LocalQuantity?
    /// `rate_steps`: each rate change, in order; empty when none were recorded.
    public var rateSteps: [RateStep]
    /// `start`: when the infusion started.
    public var start: String
    /// `end`: when it ended, if it has.
    public var end: String?
    /// `status`: the local infusion status code.
    public var status: String
    /// `nurse`: the nurse's staff id.
    public var nurse: String?
    /// `reaction`: whether a reaction was recorded during this infusion.
    public var reaction: Bool?
    /// `comment`: free text.
    public var comment: String?

    /// One step of a rate titration: from `at` on, the pump ran at `rate`.
    public struct RateStep: Hashable, Sendable {
        /// `at`: when the rate was set.
        public var at: String
        /// `rate`: the rate, as typed.
        public var rate: LocalQuantity

        /// Creates a rate step.
        public init(at: String, rate: LocalQuantity) {
            self.at = at
            self.rate = rate
        }
    }

    /// Creates an infusion.
    public init(
        id: String, orderID: String, mrn: String, product: String, lot: String? = nil, dose: LocalQuantity? = nil,
        volume: LocalQuantity? = nil, rateSteps: [RateStep] = [], start: String, end: String? = nil,
        status: String, nurse: String? = nil, reaction: Bool? = nil, comment: String? = nil
    ) {
        self.id = id
        self.orderID = orderID
        self.mrn = mrn
        self.product = product
        self.lot = lot
        self.dose = dose
        self.volume = volume
        self.rateSteps = rateSteps
        self.start = start
        self.end = end
        self.status = status
        self.nurse = nurse
        self.reaction = reaction
        self.comment = comment
    }
}
