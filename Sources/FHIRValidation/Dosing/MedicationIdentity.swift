import ExactArithmetic
import FHIRCore

/// What an order's or administration's medication is, as far as dosing needs to know.
struct MedicationIdentity {
    /// Whether it is intravenous immunoglobulin.
    var isIVIG: Bool
    /// The product from the product table, when a coding names one.
    var product: ProductTable.Product?
    /// IgG concentration in mg/mL: from the Medication's `ingredient.strength`, else the product table.
    var concentration: ExactRational?
    /// Where the concentration came from, for messages.
    var concentrationSource: String?
    /// The Medication's entry, when the medication is a reference that resolved.
    var medicationEntry: Int?
    /// The product codings found (`system|code`), to compare an administration with its order.
    var productKeys: Set<String>
}

/// The outcome of looking at a `medication[x]`.
enum MedicationLookup {
    /// Identified (IVIG or not).
    case identified(MedicationIdentity)
    /// A reference to a Medication that is not in the context.
    case unresolved(String)
    /// No medication at all.
    case absent
}

/// Identifies medications against the rules' IVIG codes and the product table.
struct MedicationIdentifier {
    let rules: DosingRules
    let context: ValidationContext

    static let ndcSystem = "http://hl7.org/fhir/sid/ndc"

    func lookup(codeableConcept: CodeableConcept?, reference: Reference?, from entry: Int) -> MedicationLookup {
        if let codeableConcept { return .identified(identify(codings: codeableConcept.coding, medication: nil, entry: nil)) }
        guard let reference else { return .absent }
        guard let target = context.resolve(reference, from: entry), case .medication(let medication) = context.entries[target].resource else {
            return .unresolved(reference.reference?.value ?? reference.display?.value ?? "a Medication")
        }
        return .identified(identify(codings: medication.code?.coding ?? [], medication: medication, entry: target))
    }

    private func identify(codings: [Coding], medication: Medication?, entry: Int?) -> MedicationIdentity {
        var product: ProductTable.Product?
        var keys: Set<String> = []
        var isIVIG = false
        for coding in codings {
            let system = coding.system?.value, code = coding.code?.value
            if rules.ivigMedicationCodes.contains(where: { $0.matches(system: system, code: code) }) { isIVIG = true }
            if let code, system == rules.products.system, let found = rules.products.product(code: code) {
                product = product ?? found
                keys.insert(system! + "|" + code)
            }
            if let code, system == Self.ndcSystem, let found = rules.products.product(ndc: code) {
                product = product ?? found
                keys.insert(rules.products.system + "|" + found.code)
            }
        }
        if product != nil { isIVIG = true }
        var identity = MedicationIdentity(
            isIVIG: isIVIG, product: product, concentration: nil, concentrationSource: nil, medicationEntry: entry, productKeys: keys)
        if let strength = medication.flatMap(Self.strength) {
            identity.concentration = strength
            identity.concentrationSource = "the Medication's ingredient strength"
        } else if let product, let mgPerML = Self.tableConcentration(product) {
            identity.concentration = mgPerML
            identity.concentrationSource = "the product table (\(product.display))"
        }
        return identity
    }

    /// IgG concentration from `ingredient.strength` (mass per volume), in mg/mL.
    static func strength(of medication: Medication) -> ExactRational? {
        for ingredient in medication.ingredient {
            guard let ratio = ingredient.strength,
                  let numerator = MeasuredValue(ratio.numerator), let denominator = MeasuredValue(ratio.denominator),
                  let milligrams = numerator.value(in: "mg"), let millilitres = denominator.value(in: "mL"),
                  !millilitres.isZero
            else { continue }
            return milligrams.dividing(by: millilitres)
        }
        return nil
    }

    /// The product table's concentration for a product, in mg/mL.
    static func tableConcentration(_ product: ProductTable.Product) -> ExactRational? {
        MeasuredValue(value: ExactRational(product.concentration), unit: product.concentrationUnit).value(in: "mg/mL")
    }
}
