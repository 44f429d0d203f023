public import ExactArithmetic
import Foundation

/// The IVIG products ivig-fhir knows (`Mappings/products.json`, shared with the local-record
/// mapping): concentration and label infusion rates per indication.
///
/// A rate entry is written in the label's own unit: the file's `rateUnit` (mg/kg/min), or the
/// entry's `unit` (`mL/kg/h` for Gammagard Liquid, whose label states 0.5 mL/kg/h, not its
/// rounded conversion 0.8 mg/kg/min). Every rate is also held in mg/kg/min, converted exactly
/// through UCUM with the product's concentration (0.5 mL/kg/h × 100 mg/mL = 5/6 mg/kg/min).
public struct ProductTable: Sendable {
    /// Label infusion rates for some indications.
    public struct Rates: Sendable {
        /// Indication ids; `*` stands for any indication not listed in another row.
        public var indications: [String]
        /// The label's initial rate in mg/kg/min (exact: converted from ``labelUnit`` with the
        /// concentration); `nil` when the label value was not found.
        public var initial: ExactRational?
        /// The highest rate the label allows, in mg/kg/min (exact, as ``initial``).
        public var maximum: ExactRational?
        /// The initial rate as the label states it, in ``labelUnit``.
        public var labelInitial: ExactDecimal?
        /// The maximum rate as the label states it, in ``labelUnit``.
        public var labelMaximum: ExactDecimal?
        /// The UCUM unit the label states the rates in: the entry's `unit`, else the file's `rateUnit`.
        public var labelUnit: String
        /// Where the rates come from.
        public var source: String
        /// `confirmed`, `assumed`, `low-authority` or `unconfirmed`.
        public var status: String
    }

    /// One product.
    public struct Product: Sendable {
        /// The code in ``ProductTable/system`` (`privigen-10`).
        public var code: String
        /// The product's name.
        public var display: String
        /// US NDC product code (`44206-439`), when known.
        public var ndc: String?
        /// The IgG concentration in ``concentrationUnit`` (mg/mL).
        public var concentration: ExactDecimal
        /// The unit of ``concentration``.
        public var concentrationUnit: String
        /// Label rates by indication.
        public var rates: [Rates]

        /// The rates for an indication: its own row, else the `*` row.
        public func rates(for indication: String?) -> Rates? {
            if let indication, let own = rates.first(where: { $0.indications.contains(indication) }) { return own }
            return rates.first { $0.indications.contains("*") }
        }
    }

    /// The code system of product codes.
    public var system: String
    /// The unit of the rates that state no `unit` of their own (`mg/kg/min`).
    public var rateUnit: String
    /// The products.
    public var products: [Product]

    /// The product a code names.
    public func product(code: String) -> Product? { products.first { $0.code == code } }

    /// The product an NDC product or package code (`44206-439-40`) names.
    public func product(ndc: String) -> Product? {
        products.first { product in product.ndc.map { ndc == $0 || ndc.hasPrefix($0 + "-") } ?? false }
    }

    init(json: [UInt8], name: String) throws(DosingRulesError) {
        let file: ProductsFile
        do {
            file = try JSONDecoder().decode(ProductsFile.self, from: Data(json))
        } catch {
            throw DosingRulesError("\(name): \(DosingRulesError.describe(error))")
        }
        func number(_ text: String?, _ field: String) throws(DosingRulesError) -> ExactDecimal? {
            guard let text else { return nil }
            guard let value = ExactDecimal(text) else { throw DosingRulesError("\(name): \(field) is '\(text)', not a decimal number") }
            return value
        }
        system = file.system
        rateUnit = file.rateUnit
        products = try file.products.map { (product) throws(DosingRulesError) in
            guard let concentration = try number(product.concentration.value, "\(product.code).concentration.value") else {
                throw DosingRulesError("\(name): \(product.code) has no concentration")
            }
            return Product(
                code: product.code, display: product.display, ndc: product.ndc, concentration: concentration,
                concentrationUnit: product.concentration.unit,
                rates: try product.rates.map { (rates) throws(DosingRulesError) in
                    let unit = rates.unit ?? file.rateUnit
                    let field = "\(product.code).rates"
                    let initial = try number(rates.initial, field + ".initial")
                    let maximum = try number(rates.maximum, field + ".maximum")
                    func perKgPerMin(_ value: ExactDecimal?) throws(DosingRulesError) -> ExactRational? {
                        guard let value else { return nil }
                        guard let factor = Self.factorToMgPerKgPerMin(
                            from: unit, concentration: concentration, concentrationUnit: product.concentration.unit)
                        else {
                            throw DosingRulesError("\(name): \(field).unit is '\(unit)', not a UCUM mass or volume per kg per time (mg/kg/min, mL/kg/h) that converts to mg/kg/min with the concentration in \(product.concentration.unit)")
                        }
                        return ExactRational(value) * factor
                    }
                    return Rates(
                        indications: rates.indications,
                        initial: try perKgPerMin(initial), maximum: try perKgPerMin(maximum),
                        labelInitial: initial, labelMaximum: maximum, labelUnit: unit,
                        source: rates.source, status: rates.status)
                })
        }
    }

    /// The exact factor from a label rate unit to mg/kg/min: directly for a mass per kg per time,
    /// through the concentration for a volume per kg per time (`mL/kg/h` × `mg/mL`); `nil` for
    /// anything else (a rate per hour without kg needs the patient's weight, which a label has not).
    static func factorToMgPerKgPerMin(from unit: String, concentration: ExactDecimal, concentrationUnit: String) -> ExactRational? {
        let target = "mg/kg/min"
        if let direct = UnitCache.shared.factor(from: unit, to: target) { return direct }
        guard let throughConcentration = UnitCache.shared.factor(from: "(\(unit)).(\(concentrationUnit))", to: target) else { return nil }
        return ExactRational(concentration) * throughConcentration
    }
}

/// products.json as written (fields are never renamed: the file is shared).
private struct ProductsFile: Decodable {
    struct Concentration: Decodable {
        var value: String
        var unit: String
    }

    struct RatesText: Decodable {
        var indications: [String]
        var initial: String?
        var maximum: String?
        /// The label's unit for these rates, when not the file's `rateUnit`.
        var unit: String?
        var source: String
        var status: String
    }

    struct ProductText: Decodable {
        var code: String
        var display: String
        var ndc: String?
        var concentration: Concentration
        var rates: [RatesText]
    }

    var system: String
    var rateUnit: String
    var products: [ProductText]
}
