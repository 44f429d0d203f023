import ExactArithmetic
import FHIRCore

/// A body measurement found in the context: its value in a fixed unit, and where it is.
struct Measurement {
    /// In kg for weight, cm for height.
    let value: ExactRational
    let entry: Int
    /// `effective[x]` as written, for messages.
    let effectiveText: String
    /// Where it comes from, for messages: `body weight of 2026-08-02T08:00:00+02:00`, or the
    /// order's own dosing weight.
    var source: String
}

/// Finds the patient's body weight and height Observations in a context.
struct PatientMeasurements {
    let rules: DosingRules
    let context: ValidationContext

    /// What the search found: the measurement, or why there is none.
    enum Search {
        case found(Measurement)
        /// No Observation with the codes for this patient at all.
        case none
        /// Only Observations dated after the reference time (the first of them is given).
        case onlyLater(String)
        /// An Observation whose value cannot be converted (no UCUM unit of the right kind).
        case unusable(String)
    }

    /// The body weight (kg) an order names in `supportingInformation` (the weight it was dosed
    /// on: a contained Observation, or one in the context); `nil` when it names none.
    func statedWeight(of order: MedicationRequest, entry: Int) -> Search? {
        stated(codes: rules.bodyWeightCodes, unit: "kg", what: "weight", order: order, entry: entry)
    }

    /// The body height (cm) an order names in `supportingInformation`; `nil` when it names none.
    func statedHeight(of order: MedicationRequest, entry: Int) -> Search? {
        stated(codes: rules.bodyHeightCodes, unit: "cm", what: "height", order: order, entry: entry)
    }

    private func stated(
        codes: [DosingRules.Code], unit: String, what: String, order: MedicationRequest, entry: Int
    ) -> Search? {
        for (position, reference) in order.supportingInformation.enumerated() {
            guard let target = context.resolve(reference, from: entry),
                case .observation(let observation) = context.entries[target].resource,
                Self.matches(observation.code, codes),
                !["entered-in-error", "cancelled"].contains(observation.status?.value ?? "")
            else { continue }
            guard case .quantity(let quantity)? = observation.value, let measured = MeasuredValue(quantity),
                let value = measured.value(in: unit)
            else { return .unusable(context.entries[target].path.expression) }
            let text = Self.effective(observation)?.0
            let source =
                "the dosing \(what) the order names in supportingInformation[\(position)]"
                + (text.map { ", of \($0)" } ?? "")
            return .found(Measurement(value: value, entry: target, effectiveText: text ?? "", source: source))
        }
        return nil
    }

    /// The most recent body weight (kg) of the subject dated at or before `time`.
    func weight(subject: String?, before time: FHIRMoment?) -> Search {
        latest(codes: rules.bodyWeightCodes, unit: "kg", subject: subject, before: time)
    }

    /// The most recent body height (cm) of the subject dated at or before `time`.
    func height(subject: String?, before time: FHIRMoment?) -> Search {
        latest(codes: rules.bodyHeightCodes, unit: "cm", subject: subject, before: time)
    }

    private func latest(codes: [DosingRules.Code], unit: String, subject: String?, before time: FHIRMoment?) -> Search {
        guard let subject else { return .none }
        var best: (Measurement, FHIRMoment)?
        var later: String?
        var unusable: String?
        for index in context.entries(aboutSubject: subject) {
            guard case .observation(let observation) = context.entries[index].resource,
                Self.matches(observation.code, codes),
                !["entered-in-error", "cancelled"].contains(observation.status?.value ?? "")
            else { continue }
            guard let (text, moment) = Self.effective(observation) else { continue }
            if let time, moment.isAfter(time) {
                later = later ?? text
                continue
            }
            guard case .quantity(let quantity)? = observation.value, let measured = MeasuredValue(quantity),
                let value = measured.value(in: unit)
            else {
                unusable = unusable ?? context.entries[index].path.expression
                continue
            }
            if best == nil || best!.1.isBefore(moment) {
                best = (
                    Measurement(value: value, entry: index, effectiveText: text, source: "body weight of \(text)"),
                    moment
                )
            }
        }
        if let best { return .found(best.0) }
        if let unusable { return .unusable(unusable) }
        if let later { return .onlyLater(later) }
        return .none
    }

    static func matches(_ concept: CodeableConcept?, _ codes: [DosingRules.Code]) -> Bool {
        guard let concept else { return false }
        for coding in concept.coding {
            let (system, code) = (coding.system?.value, coding.code?.value)
            if codes.contains(where: { $0.matches(system: system, code: code) }) { return true }
        }
        return false
    }

    /// `effective[x]` as text and as a moment (a period's start, else its end).
    static func effective(_ observation: Observation) -> (String, FHIRMoment)? {
        let text: String?
        switch observation.effective {
        case .dateTime(let value)?: text = value.value?.text
        case .instant(let value)?: text = value.value?.text
        case .period(let period)?: text = period.start?.value?.text ?? period.end?.value?.text
        default: text = nil
        }
        guard let text, let moment = FHIRMoment(text) else { return nil }
        return (text, moment)
    }
}

/// The dose-determining weight (ideal body weight, then adjusted weight) for patients with a
/// high BMI, by the rules file's formula (Devine IBW; DDW = IBW + factor × (weight − IBW)).
struct DosingWeight {
    let bmi: ExactRational
    let idealKg: ExactRational
    let doseDeterminingKg: ExactRational

    /// `nil` when BMI is not above the threshold; throws the reason when it cannot be computed.
    static func compute(weightKg: ExactRational, heightCm: ExactRational, gender: String?, rules: DosingRules)
        -> Result<DosingWeight?, DosingWeightProblem>
    {
        guard !heightCm.isZero else { return .failure(.init(reason: "the height is zero")) }
        let metres = heightCm.dividing(by: ExactRational(100))
        let bmi = weightKg.dividing(by: metres * metres)
        guard ExactRational(rules.dosingWeightBMIAbove) < bmi else { return .success(nil) }
        guard let gender, let base = rules.idealBodyWeightBaseKg[gender] else {
            return .failure(
                .init(
                    reason:
                        "BMI is \(Display.number(bmi, decimals: 1)), but the patient's gender (male or female) is not in the input, so ideal body weight cannot be computed"
                ))
        }
        // Devine: base + 2.3 kg per inch over 60 inches; 1 in = 2.54 cm exactly.
        let inches = heightCm.dividing(by: ExactRational(ExactDecimal("2.54")!))
        let ideal = ExactRational(base) + ExactRational(rules.idealBodyWeightKgPerInch) * (inches - ExactRational(60))
        let adjusted = ideal + ExactRational(rules.dosingWeightAdjustment) * (weightKg - ideal)
        return .success(DosingWeight(bmi: bmi, idealKg: ideal, doseDeterminingKg: adjusted))
    }
}

struct DosingWeightProblem: Error {
    let reason: String
}
