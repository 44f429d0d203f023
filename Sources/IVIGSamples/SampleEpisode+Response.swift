import FHIRCore
import IVIGProducts

extension SampleEpisode {
    /// The measures of response (dosing reference section 6): strength for the neuropathies and
    /// myasthenia, the IgG trough for PID, platelets for ITP, temperature for Kawasaki disease.
    /// Baseline readings come before the first infusion, follow-up readings weeks after the last.
    mutating func responseObservations(baseline: Bool) -> [AnyResource] {
        let lastDay = (cycles - 1) * regimen.intervalDays + regimen.days
        let when = baseline
            ? start.adding(days: -rng.int(1...3)).adding(minutes: 30)
            : start.adding(days: lastDay + rng.int(14...42)).adding(minutes: 60)
        let suffix = baseline ? "b" : "f"
        var readings: [Observation] = []
        switch indication.response {
        case .strength:
            let grip = ScaledDecimal(rng.int(80...300) + (baseline ? 0 : rng.int(0...80)), scale: 1)
            readings.append(observation(
                "grip", category: "exam",
                code: Build.coding(Build.loinc, "83174-3", "Grip strength Hand - right Dynamometer"),
                value: .quantity(Build.quantity(spelled(grip), "kg")), at: when))
            if rng.chance(50) {
                let score = Int32(baseline ? rng.int(3...8) : rng.int(1...5))
                readings.append(observation(
                    "incat", category: "exam",
                    code: Build.coding(SampleCatalog.measureSystem, "adjusted-incat", "Adjusted INCAT disability score"),
                    value: .integer(FHIRPrimitive(score)), at: when))
            }
        case .igGTrough:
            let trough = ScaledDecimal(baseline ? rng.int(20...55) : rng.int(60...95), scale: 1)
            readings.append(observation(
                "igg", category: "laboratory", code: Build.coding(Build.loinc, "2465-3", "IgG [Mass/volume] in Serum"),
                value: .quantity(Build.quantity(spelled(trough), "g/L")), at: when))
        case .platelets:
            let count = ScaledDecimal(baseline ? rng.int(4...30) : rng.int(50...260))
            readings.append(observation(
                "plt", category: "laboratory",
                code: Build.coding(Build.loinc, "777-3", "Platelets [#/volume] in Blood by Automated count"),
                value: .quantity(Build.quantity(count, "10*9/L")), at: when))
        case .temperature:
            let temperature = ScaledDecimal(baseline ? rng.int(386...402) : rng.int(364...374), scale: 1)
            readings.append(observation(
                "temp", category: "vital-signs", code: Build.coding(Build.loinc, "8310-5", "Body temperature"),
                value: .quantity(Build.quantity(temperature, "Cel", unit: "°C")), at: when))
        }
        for index in readings.indices { readings[index].id = FHIRPrimitive("\(readings[index].id!.value!)-\(suffix)") }
        return readings.map { .observation($0) }
    }

    private mutating func observation(_ kind: String, category: String, code: Coding, value: Observation.ValueX,
                                      at time: SampleClock) -> Observation {
        var observation = Observation(id: FHIRPrimitive("ivig-obs-\(index)-\(kind)"))
        observation.status = "final"
        observation.category = [Build.concept("http://terminology.hl7.org/CodeSystem/observation-category", category)]
        observation.code = Build.concept([code], text: code.display?.value)
        observation.subject = patientReference
        observation.effective = .dateTime(FHIRPrimitive(time.dateTime))
        if rng.chance(20) { observation.issued = FHIRPrimitive(time.adding(minutes: rng.int(20...300)).instant) }
        observation.value = value
        if rng.chance(10) {
            observation.note = [Annotation(text: "Measured before the infusion (trough); patient rested > 10 min.")]
        }
        return observation
    }
}
