import ExactArithmetic
import FHIRCore
import IVIGProducts

/// What an order's or administration's medication is, as far as dosing needs to know.
struct MedicationIdentity: Sendable {
    /// Whether it is intravenous immunoglobulin.
    var isIVIG: Bool
    /// The product from the product table, when a coding or the text names one.
    var product: ProductTable.Product?
    /// When no product is identified: the products a brand name in the text could be (Octagam
    /// 5% or 10%), else empty (any product of the table).
    var candidates: [ProductTable.Product]
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
    /// Keeps each medication's identity: the same Medication is looked up for its order, each
    /// administration and the patient's other orders.
    let memo: DosingMemo

    /// The `medication[x]` of the resource at `entry`: its `medicationCodeableConcept`, or its
    /// `medicationReference`, resolved from `entry`.
    func lookup(codeableConcept: CodeableConcept?, reference: Reference?, from entry: Int) -> MedicationLookup {
        if let codeableConcept {
            return .identified(
                memo.concept(ofEntry: entry) {
                    rules.medicationIdentities.identity(of: Self.content(of: codeableConcept.coding, medication: nil)) {
                        identify(codings: codeableConcept.coding, medication: nil, entry: nil)
                    }
                })
        }
        guard let reference else { return .absent }
        guard let target = context.resolve(reference, from: entry),
            let identity = memo.medication(entry: target, { identify(medicationAt: target) })
        else {
            return .unresolved(reference.reference?.value ?? reference.display?.value ?? "a Medication")
        }
        return .identified(identity)
    }

    /// The Medication at `entry`, identified; `nil` when the entry is another resource.
    private func identify(medicationAt entry: Int) -> MedicationIdentity? {
        guard case .medication(let medication) = context.entries[entry].resource else { return nil }
        let codings = medication.code?.coding ?? []
        var identity = rules.medicationIdentities.identity(of: Self.content(of: codings, medication: medication)) {
            identify(codings: codings, medication: medication, entry: entry)
        }
        identity.medicationEntry = entry
        return identity
    }

    /// Everything ``identify(codings:medication:entry:)`` reads (the codings' system, code and
    /// display, the Medication's text and ingredient strengths) as one text, each part with its
    /// length, so that two contents give the same text only when they are the same.
    static func content(of codings: [Coding], medication: Medication?) -> String {
        var content = medication == nil ? "C" : "M"
        content.reserveCapacity(256)
        append(String(codings.count), to: &content)
        for coding in codings {
            append(coding.system?.value, to: &content)
            append(coding.code?.value, to: &content)
            append(coding.display?.value, to: &content)
        }
        if let medication {
            append(medication.code?.text?.value, to: &content)
            append(String(medication.ingredient.count), to: &content)
            for ingredient in medication.ingredient {
                let strength = ingredient.strength
                for quantity in [strength?.numerator, strength?.denominator] {
                    append(quantity?.value?.value?.text, to: &content)
                    append(quantity?.code?.value, to: &content)
                    append(quantity?.system?.value, to: &content)
                }
            }
        }
        return content
    }

    /// `part` with its length before it (`7:Privige`), or `-` when there is none.
    private static func append(_ part: String?, to content: inout String) {
        guard let part else {
            content.append("-")
            return
        }
        content.append(String(part.utf8.count))
        content.append(":")
        content.append(part)
    }

    private func identify(codings: [Coding], medication: Medication?, entry: Int?) -> MedicationIdentity {
        var product: ProductTable.Product?
        var keys: Set<String> = []
        var isIVIG = false
        for coding in codings {
            guard let system = coding.system?.value, let code = coding.code?.value else { continue }
            if rules.ivigMedicationCodes.contains(where: { $0.matches(system: system, code: code) }) { isIVIG = true }
            // The product's own code, or an NDC, RxNorm or SNOMED CT code the table lists for it.
            if let found = rules.products.product(system: system, code: code) {
                product = product ?? found
                keys.insert(rules.products.system + "|" + found.code)
            }
        }
        let strength = medication.flatMap(Self.strength)
        var candidates: [ProductTable.Product] = []
        if product == nil {
            // No code names the product: its brand name in the text may ("Privigen 10% solution").
            let texts = [medication?.code?.text?.value] + codings.map { $0.display?.value }
            var named: [ProductTable.Product] = []
            for case let text? in texts where named.isEmpty { named = rules.products.products(namedIn: text) }
            if let strength { named = named.filter { $0.milligramsPerMillilitre == strength } }
            if named.count == 1 {
                product = named[0]
                keys.insert(rules.products.system + "|" + named[0].code)
            } else {
                candidates = named
            }
        }
        if product != nil || !candidates.isEmpty { isIVIG = true }
        var identity = MedicationIdentity(
            isIVIG: isIVIG, product: product, candidates: candidates, concentration: nil, concentrationSource: nil,
            medicationEntry: entry, productKeys: keys)
        if let strength {
            identity.concentration = strength
            identity.concentrationSource = "the Medication's ingredient strength"
        } else if let product {
            identity.concentration = product.milligramsPerMillilitre
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
}

/// Medication identities by content (``MedicationIdentifier/content(of:medication:)``), shared
/// by every validator of one set of rules: the same few products recur, each record a copy.
/// Bounded, so input with endless distinct medications cannot grow it without limit.
final class MedicationIdentityCache: @unchecked Sendable {
    private let lock = Lock()
    private var identities: [String: MedicationIdentity] = [:]
    private let limit = 4096

    /// The identity of `content`, from `identify` the first time it is asked for.
    func identity(of content: String, _ identify: () -> MedicationIdentity) -> MedicationIdentity {
        if let known = lock.withLock({ identities[content] }) { return known }
        let identity = identify()
        lock.withLock { if identities.count < limit { identities[content] = identity } }
        return identity
    }
}
