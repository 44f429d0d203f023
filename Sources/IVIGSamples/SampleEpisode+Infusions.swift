import FHIRCore

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
    mutating func runInfusion() -> InfusionRun {
        let dose = gramsPerKg.rescaled(to: 1).units * 1000  // tenths of a mg/kg
        let maximum = maximumRate.units
        var rate = initialRate.units
        var steps = [RampStep(minute: 0, rate: initialRate)]
        var reactionStep = rng.chance(12) ? rng.int(1...3) : nil
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

    /// Every infusion of the order, each followed by its reaction report if there was one.
    mutating func infusions() -> [AnyResource] {
        var result: [AnyResource] = []
        var number = 0
        for cycle in 0..<cycles {
            for day in 0..<regimen.days {
                number += 1
                let begin = start.adding(days: cycle * regimen.intervalDays + day).adding(minutes: rng.int(0...4) * 15)
                let run = runInfusion()
                let id = "ivig-ma-\(index)-\(number)"
                result.append(.medicationAdministration(administration(id: id, begin: begin, run: run)))
                if let reaction = run.reaction {
                    result.append(.adverseEvent(adverseEvent(number: number, administrationID: id,
                                                             at: begin.adding(minutes: reaction.minute),
                                                             kind: reaction.kind)))
                }
            }
        }
        return result
    }

    private mutating func administration(id: String, begin: SampleClock, run: InfusionRun) -> MedicationAdministration {
        var administration = MedicationAdministration(id: FHIRPrimitive(id))
        if containsMedication {
            // The administered vial's lot is recorded with the product, inside the record.
            administration.contained = [.medication(medication(withBatch: true, id: "med"))]
        }
        administration.status = FHIRPrimitive(run.stopped ? "stopped" : "completed")
        administration.medication = .reference(medicationReference)
        administration.subject = patientReference
        administration.effective = .period(Period(start: FHIRPrimitive(begin.dateTime),
                                                  end: FHIRPrimitive(begin.adding(minutes: run.minutes).dateTime)))
        if rng.chance(30) {
            administration.performer = [MedicationAdministration.Performer(
                actor: Reference(display: FHIRPrimitive("Nurse \(rng.pick(SampleCatalog.familyNames))")))]
        }
        administration.request = Build.reference("MedicationRequest/\(orderID)")
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
        let volume = ScaledDecimal(grams.units * 1000, scale: grams.scale).divided(by: product.concentration, scale: 0)
        administration.dosage = MedicationAdministration.DosageComponent(
            extension: ramp,
            text: FHIRPrimitive("\(product.display) \(grams.text) g (\(volume.text) mL)"
                + (run.stopped ? ", stopped after a reaction" : "")),
            route: Self.intravenous,
            dose: Build.quantity(spelled(grams), "g"),
            rate: .quantity(rateQuantity(peak, asVolume: asVolume)))
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
