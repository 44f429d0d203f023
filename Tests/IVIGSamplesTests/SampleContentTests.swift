import FHIRCore
import FHIRTestSupport
import Foundation
import IVIGProducts
@testable import IVIGSamples
import Testing

/// The samples are realistic: every indication, resource type and kind of variety appears, doses
/// follow the regimen for the indication, and rates stay within the product's label.
@Suite struct SampleContentTests {
    static let resources: [AnyResource] = {
        var generator = IVIGSampleGenerator(seed: 2024)
        return generator.next(4000)
    }()

    static func resources<T>(_ pick: (AnyResource) -> T?) -> [T] { resources.compactMap(pick) }

    @Test func everyResourceTypeOfAnIVIGFeedAppears() {
        let types = Set(Self.resources.map(\.resourceType))
        #expect(types == ["Patient", "Condition", "Observation", "Medication", "MedicationRequest",
                          "MedicationAdministration", "AdverseEvent"])
    }

    @Test func everyIndicationIsOrdered() {
        let conditions = Self.resources { if case .condition(let c) = $0 { c } else { nil } }
        let texts = Set(conditions.compactMap { $0.code?.text?.value })
        #expect(texts == ["CIDP", "MMN", "GBS", "MG", "KD", "ITP", "PID"])
    }

    @Test func idsAreUnique() {
        let ids = Self.resources.map { "\($0.resourceType)/\($0.resource.id?.value ?? "")" }
        #expect(Set(ids).count == ids.count)
    }

    @Test func theVarietyOfRealDataIsThere() throws {
        let ndjson = String(decoding: try IVIGSampleWriter(format: .ndjson).bytes(count: 4000, seed: 2024), as: UTF8.self)
        #expect(ndjson.contains(#""contained":[{"resourceType":"Medication""#))  // contained Medications
        #expect(ndjson.contains(#""div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">"#))  // narrative
        #expect(ndjson.contains(#""_given":[null,{"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/iso21090-EN-qualifier""#))
        #expect(ndjson.contains(#""_birthDate":{"extension""#))  // a primitive's extension
        #expect(ndjson.contains(SampleCatalog.rateStepExtension))  // rate steps
        #expect(ndjson.range(of: #""value":[0-9]+\.[0-9]*0[,}]"#, options: .regularExpression) != nil)  // 72.50
        #expect(ndjson.range(of: #""birthDate":"[0-9]{4}""#, options: .regularExpression) != nil)  // a year only
        #expect(ndjson.range(of: #""birthDate":"[0-9]{4}-[0-9]{2}""#, options: .regularExpression) != nil)  // year-month
        #expect(ndjson.contains("Müller") || ndjson.contains("Søndergaard"))  // non-ASCII text
        #expect(ndjson.contains(" & cetirizine"))  // text that XML must escape
    }

    /// Body weight by patient, in kg, from the weight Observations (kg or g).
    static var weights: [String: ScaledDecimal] {
        var result: [String: ScaledDecimal] = [:]
        for case .observation(let observation) in resources
        where observation.code?.coding.first?.code?.value == "29463-7" {
            guard case .quantity(let quantity)? = observation.value,
                  let text = quantity.value?.value?.text, let patient = observation.subject?.reference?.value
            else { continue }
            let value = ScaledDecimal(text)
            result[patient] = quantity.code?.value == "g" ? ScaledDecimal(value.units, scale: value.scale + 3) : value
        }
        return result
    }

    @Test func calculatedDosesAreWeightTimesTheOrderedDose() throws {
        let weights = Self.weights
        var checked = 0
        for case .medicationRequest(let order) in Self.resources {
            let dosage = try #require(order.dosageInstruction.first)
            let doses = dosage.doseAndRate.compactMap { item -> (String, ScaledDecimal)? in
                guard case .quantity(let quantity)? = item.dose, let text = quantity.value?.value?.text,
                      let type = item.type?.coding.first?.code?.value else { return nil }
                return (type, ScaledDecimal(text))
            }
            let perKg = try #require(doses.first { $0.0 == "ordered" }?.1)
            let grams = try #require(doses.first { $0.0 == "calculated" }?.1)
            let weight = try #require(weights[order.subject?.reference?.value ?? ""])
            let product = weight * perKg
            #expect(product.rescaled(to: 8) == grams.rescaled(to: 8), "\(order.id?.value ?? "")")
            checked += 1
        }
        #expect(checked > 100)
    }

    @Test func orderedDosesFollowTheRegimenOfTheIndication() throws {
        let indicationOf = Dictionary(uniqueKeysWithValues: Self.resources { resource -> (String, String)? in
            guard case .condition(let condition) = resource, let id = condition.id?.value,
                  let text = condition.code?.text?.value else { return nil }
            return ("Condition/\(id)", text)
        })
        for case .medicationRequest(let order) in Self.resources {
            let indicationID = try #require(indicationOf[order.reasonReference.first?.reference?.value ?? ""])
            let indication = try #require(SampleCatalog.indications.first { $0.id == indicationID })
            guard case .quantity(let dose)? = order.dosageInstruction.first?.doseAndRate.first?.dose else {
                Issue.record("no ordered dose")
                continue
            }
            let ordered = ScaledDecimal(dose.value?.value?.text ?? "").rescaled(to: 4)
            let allowed = indication.regimens.map { ScaledDecimal($0.gramsPerKgPerDay).rescaled(to: 4) }
            #expect(allowed.contains(ordered), "\(indicationID): \(ordered.text) g/kg")
        }
    }

    /// Label rates read from Mappings/products.json, the file the validator uses.
    static func labelMaximumRates() throws -> [String: [(indications: [String], maximum: String?)]] {
        let url = SharedCorpus.packageRoot.appendingPathComponent("Mappings/products.json")
        let root = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let products = try #require(root["products"] as? [[String: Any]])
        var result: [String: [(indications: [String], maximum: String?)]] = [:]
        for product in products {
            let code = try #require(product["code"] as? String)
            let rates = try #require(product["rates"] as? [[String: Any]])
            let concentration = Int(((product["concentration"] as? [String: Any])?["value"] as? String) ?? "") ?? 0
            result[code] = rates.map { rate in
                // Rates in mL/kg/h become mg/kg/min at the product's concentration (× mg/mL / 60).
                let maximum = (rate["maximum"] as? String).map { text -> String in
                    guard rate["unit"] as? String == "mL/kg/h" else { return text }
                    let thousandths = ScaledDecimal(text).rescaled(to: 3).units * concentration / 60
                    return String(thousandths / 1000) + "." + String(1000 + thousandths % 1000).dropFirst()
                }
                return ((rate["indications"] as? [String]) ?? [], maximum)
            }
        }
        return result
    }

    /// The product a sample Medication names: by its product code, its NDC, or its brand in the text.
    static func productCode(of medication: Medication) -> String? {
        let table = ProductTable.package
        for coding in medication.code?.coding ?? [] {
            if let system = coding.system?.value, let code = coding.code?.value,
               let product = table.product(system: system, code: code) { return product.code }
        }
        return medication.code?.text?.value.flatMap { table.products(namedIn: $0).first?.code }
    }

    @Test func infusionRatesStayWithinTheLabelMaximum() throws {
        let labels = try Self.labelMaximumRates()
        let productOfMedication = Dictionary(uniqueKeysWithValues: Self.resources { resource -> (String, String)? in
            guard case .medication(let medication) = resource, let id = medication.id?.value,
                  let code = Self.productCode(of: medication) else { return nil }
            return ("Medication/\(id)", code)
        })
        var checked = 0
        for case .medicationAdministration(let administration) in Self.resources {
            let reference = administration.dosage.flatMap { _ -> String? in
                if case .reference(let reference)? = administration.medication { return reference.reference?.value }
                return nil
            } ?? ""
            let code: String
            if reference == "#med", case .medication(let contained)? = administration.contained.first {
                code = try #require(Self.productCode(of: contained))
            } else {
                code = try #require(productOfMedication[reference])
            }
            let maximum = try #require(labels[code]?.compactMap(\.maximum).map { ScaledDecimal($0).rescaled(to: 3).units }.max())
            for step in administration.dosage?.extension ?? [] {
                guard case .quantity(let rate)? = step.extension.first(where: { $0.url == "rate" })?.value else {
                    Issue.record("a rate step without a rate")
                    continue
                }
                #expect(rate.code?.value == "mg/kg/min")
                #expect(ScaledDecimal(rate.value?.value?.text ?? "").rescaled(to: 3).units <= maximum)
                checked += 1
            }
        }
        #expect(checked > 500)
    }

    @Test func reactionsPointAtTheirInfusion() {
        let administrations = Set(Self.resources { resource -> String? in
            guard case .medicationAdministration(let a) = resource else { return nil }
            return "MedicationAdministration/\(a.id?.value ?? "")"
        })
        let events = Self.resources { if case .adverseEvent(let event) = $0 { event } else { nil } }
        #expect(events.count > 20)
        for event in events {
            #expect(administrations.contains(event.suspectEntity.first?.instance?.reference?.value ?? ""))
        }
    }
}
