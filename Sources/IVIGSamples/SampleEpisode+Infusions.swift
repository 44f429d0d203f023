import FHIRCore
import IVIGProducts

extension SampleEpisode {
    /// One step of an infusion's rate ramp: from `minute` on, `rate` mg/kg/min.
    struct RampStep {
        var minute: Int
        var rate: ScaledDecimal
    }

    /// How one infusion went: the ramp, its length, and a reaction if one happened.
    struct InfusionRun {
        var steps: [RampStep]
        var minutes: Int
        /// The dose given, in tenths of a mg/kg (less than ordered when the infusion stopped).
        var deliveredTenths: Int
        var reaction: (minute: Int, kind: SampleCatalog.Reaction)?
        var stopped: Bool
    }

    /// Runs the label ramp (double the rate every 30 minutes up to the maximum) until the day's
    /// dose is in; a reaction halves the rate for the rest of the infusion, or stops it when serious.
    mutating func runInfusion(forceReaction: Bool = false) -> InfusionRun {
        let dose = gramsPerKg.rescaled(to: 1).units * 1000  // tenths of a mg/kg
        let maximum = maximumRate.units
        var rate = initialRate.units
        var steps = [RampStep(minute: 0, rate: initialRate)]
        var reactionStep = rng.chance(12) ? rng.int(1...3) : nil
        if forceReaction && reactionStep == nil { reactionStep = 1 }
        var reaction: (minute: Int, kind: SampleCatalog.Reaction)?
        var remaining = dose, minute = 0
        while true {
            let atCeiling = rate >= maximum || reaction != nil
            if atCeiling || remaining <= rate * 30 {
                minute += (remaining + rate - 1) / rate
                remaining = 0
                break
            }
            remaining -= rate * 30
            minute += 30
            if reactionStep == steps.count {
                let kind = rng.pick(SampleCatalog.reactions)
                reaction = (minute, kind)
                reactionStep = nil
                if kind.serious && rng.chance(50) {
                    return InfusionRun(steps: steps, minutes: minute, deliveredTenths: dose - remaining,
                                       reaction: reaction, stopped: true)
                }
                rate = max(initialRate.units, rate / 2)
            } else {
                rate = min(rate * 2, maximum)
            }
            steps.append(RampStep(minute: minute, rate: ScaledDecimal(rate, scale: 1)))
        }
        return InfusionRun(steps: steps, minutes: minute, deliveredTenths: dose, reaction: reaction, stopped: false)
    }

    /// Every infusion of the episode, each followed by its reaction report if there was one.
    /// The faults that concern an infusion or its reaction go into the first one.
    mutating func infusions(orderIDs: [String]) -> [AnyResource] {
        var result: [AnyResource] = []
        var number = 0
        for cycle in 0..<cycles {
            for day in 0..<regimen.days {
                number += 1
                let begin = start.adding(days: cycle * regimen.intervalDays + day).adding(minutes: rng.int(0...4) * 15)
                let faulty = number == 1 ? fault : nil
                let run = runInfusion(forceReaction: faulty == .reactionBeforeInfusion)
                let id = "ivig-ma-\(index)-\(number)"
                result.append(.medicationAdministration(administration(
                    id: id, orderID: orderID(ofCourse: cycle), begin: begin, run: run, fault: faulty)))
                if let reaction = run.reaction {
                    let misdated = faulty == .reactionBeforeInfusion
                    var event = adverseEvent(
                        number: number, administrationID: id,
                        at: misdated ? begin.adding(minutes: -120) : begin.adding(minutes: reaction.minute),
                        kind: reaction.kind)
                    if misdated { event.meta = SampleFault.reactionBeforeInfusion.tagging(event.meta) }
                    result.append(.adverseEvent(event))
                }
            }
        }
        return result
    }

    private mutating func administration(
        id: String, orderID: String, begin: SampleClock, run: InfusionRun, fault: SampleFault?
    ) -> MedicationAdministration {
        var administration = MedicationAdministration(id: FHIRPrimitive(id))
        if containsMedication {
            // The administered vial's lot is recorded with the product, inside the record.
            administration.contained = [.medication(medication(withBatch: true, id: "med"))]
        }
        administration.status = FHIRPrimitive(run.stopped ? "stopped" : "completed")
        if run.stopped {
            administration.statusReason = [Build.concept([], text: "Stopped after a serious infusion reaction")]
        }
        administration.medication = .reference(medicationReference)
        administration.subject = patientReference
        administration.effective = .period(Period(start: FHIRPrimitive(begin.dateTime),
                                                  end: FHIRPrimitive(begin.adding(minutes: run.minutes).dateTime)))
        if rng.chance(30) {
            administration.performer = [MedicationAdministration.Performer(
                actor: Reference(display: FHIRPrimitive("Nurse \(rng.pick(SampleCatalog.familyNames))")))]
        }
        administration.request = Build.reference("MedicationRequest/\(orderID)")
        if fault == .wrongPatient {
            administration.subject = Build.reference("Patient/\(patientID)-other")
        }
        // mg/kg × 10 × kg × 10 = hundredths of a mg; in g to 0.01 g, which is exact unless stopped early.
        let grams = ScaledDecimal(run.deliveredTenths * weightKg.units, scale: 5).divided(by: 1, scale: 2).trimmed
        let asVolume = rng.chance(50)
        let ramp = run.steps.map { step in
            Extension(extension: [
                Build.extensionValue("start", .dateTime(FHIRPrimitive(begin.adding(minutes: step.minute).dateTime))),
                Build.extensionValue("rate", .quantity(rateQuantity(step.rate, asVolume: false))),
            ], url: SampleCatalog.rateStepExtension)
        }
        let peak = run.steps.map(\.rate).max { $0.units < $1.units } ?? initialRate
        let volume = ScaledDecimal(grams.units * 1000, scale: grams.scale).divided(by: concentration, scale: 0)
        administration.dosage = MedicationAdministration.DosageComponent(
            extension: ramp,
            text: FHIRPrimitive("\(product.display) \(grams.text) g (\(volume.text) mL)"
                + (run.stopped ? ", stopped after a reaction" : "")),
            route: Self.intravenous,
            dose: Build.quantity(spelled(grams), "g"),
            rate: .quantity(rateQuantity(peak, asVolume: asVolume)))
        switch fault {
        case .milligramsAsGrams?:
            administration.dosage?.dose = Build.quantity((grams * ScaledDecimal(1000)).trimmed, "g")
        case .rateTooFast?:
            administration.dosage?.rate = .quantity(rateQuantity(Self.tenthsDown(rate.maximum!) * ScaledDecimal(2), asVolume: asVolume))
        default: break
        }
        if let fault, [.milligramsAsGrams, .rateTooFast, .wrongPatient].contains(fault) {
            administration.meta = fault.tagging(administration.meta)
        }
        return administration
    }

    private mutating func adverseEvent(number: Int, administrationID: String, at time: SampleClock,
                                       kind: SampleCatalog.Reaction) -> AdverseEvent {
        var event = AdverseEvent(id: FHIRPrimitive("ivig-ae-\(index)-\(number)"))
        event.actuality = "actual"
        event.event = Build.concept([Build.coding(Build.snomed, kind.snomed, kind.display)], text: kind.display)
        event.subject = patientReference
        event.date = FHIRPrimitive(time.dateTime)
        event.recordedDate = FHIRPrimitive(time.adding(minutes: rng.int(10...240)).dateTime)
        event.seriousness = Build.concept("http://terminology.hl7.org/CodeSystem/adverse-event-seriousness",
                                          kind.serious ? "serious" : "non-serious")
        let severity = kind.serious ? "severe" : rng.pick(["mild", "moderate"])
        event.severity = Build.concept("http://terminology.hl7.org/CodeSystem/adverse-event-severity", severity)
        event.outcome = Build.concept("http://terminology.hl7.org/CodeSystem/adverse-event-outcome",
                                      rng.pick(["resolved", "recovering"]))
        event.suspectEntity = [AdverseEvent.SuspectEntity(
            instance: Build.reference("MedicationAdministration/\(administrationID)"),
            causality: [AdverseEvent.SuspectEntity.Causality(
                assessment: Build.concept("http://terminology.hl7.org/CodeSystem/adverse-event-causality-assess",
                                          "Probably-Likely"))])]
        return event
    }
}
