public import ExactArithmetic
import Foundation

/// The IVIG products ivig-fhir knows (`Mappings/products.json`, shared with the local-record
/// mapping): concentration and label infusion rates per indication, in mg/kg/min.
public struct ProductTable: Sendable {
    /// Label infusion rates for some indications.
    public struct Rates: Sendable {
        /// Indication ids; `*` stands for any indication not listed in another row.
        public var indications: [String]
        /// mg/kg/min; `nil` when the label value was not found.
        public var initial: ExactDecimal?
        /// The highest rate the label allows, in mg/kg/min.
        public var maximum: ExactDecimal?
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
    /// The unit of every rate in the table (`mg/kg/min`).
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
                    Rates(
                        indications: rates.indications,
                        initial: try number(rates.initial, "\(product.code).rates.initial"),
                        maximum: try number(rates.maximum, "\(product.code).rates.maximum"),
                        source: rates.source, status: rates.status)
                })
        }
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
