import ExactArithmetic

/// What `ivig-fhir report` tells about one patient: the IVIG courses, the infusions and their
/// reactions, and each measure of response over time with the response it shows.
public struct PatientReport: Sendable {
    /// One IVIG order's course.
    public struct Course: Sendable {
        /// The order's identifier (as the hospital names it), else its id.
        public var orderID: String
        /// The order's resource id, which infusions' `request` names.
        var key: String
        public var indication: String?
        public var product: String?
        public var firstInfusion: String?
        public var lastInfusion: String?
        /// Dose per kg per infusion day, as ordered (`0.4 g/kg`).
        public var dosePerKg: String?
        /// Dose per day in grams, as ordered or calculated.
        public var dosePerDay: String?
        /// The dosing weight: the latest body weight at or before the order (`70 kg`).
        public var dosingWeight: String?
        /// Grams given in all the course's infusions.
        public var totalGrams: String
        /// The highest rate any infusion reached, as written.
        public var highestRate: String?
        public var infusionCount: Int
        /// First and last infusion days as day numbers, for the timeline.
        var span: ClosedRange<Double>?
    }

    /// One infusion.
    public struct Infusion: Sendable {
        public var id: String
        /// The order's resource id (what `request` names).
        public var orderID: String?
        /// The order as the hospital names it (its identifier), else its id.
        public var orderLabel: String?
        public var start: String?
        public var end: String?
        public var status: String?
        public var dose: String?
        public var highestRate: String?
        var startTime: Double?
        var endTime: Double?
        /// Rate steps (time, rate as written), for the rate at a reaction's onset.
        var steps: [(time: Double, rate: String)]
        /// The dose in grams, when its unit converts.
        var grams: ExactRational?
    }

    /// A reaction (AdverseEvent).
    public struct Reaction: Sendable {
        public var id: String
        public var event: String
        public var date: String?
        public var seriousness: String?
        /// The infusion it followed (suspectEntity.instance).
        public var infusionID: String?
        /// The infusion's rate at the reaction's onset, when the infusion's rate steps say it.
        public var rateAtOnset: String?
        var time: Double?
    }

    /// One reading of a measure.
    public struct Point: Sendable {
        public var date: String
        public var value: Double
        public var text: String
        var time: Double
    }

    /// A measure of response over time.
    public struct Measure: Sendable {
        public var name: String
        public var unit: String
        public var points: [Point]
        public var baseline: Point?
        public var followUp: Point?
        /// Follow-up minus baseline, as text with the unit.
        public var change: String?
        /// The response the rule states (`responder`, `not yet assessable`, …) and why.
        public var response: String
    }

    /// Fever after a Kawasaki disease infusion, against the 36-hour mark.
    public struct FeverCheck: Sendable {
        public var infusionID: String
        public var infusionEnd: String
        /// The 36-hour mark's date and time.
        public var mark: String
        public var verdict: String
        var endTime: Double
    }

    public var patientID: String
    public var name: String?
    public var courses: [Course] = []
    public var infusions: [Infusion] = []
    public var reactions: [Reaction] = []
    public var measures: [Measure] = []
    public var fever: [FeverCheck] = []
}
