internal import FHIRCore
internal import UCUM

/// The IVIG products the mapping knows (`Mappings/products.json`, shared with validation):
/// the ivig-product code, its display and concentration, for `Medication.code` and
/// `Medication.ingredient.strength`.
struct ProductTable: Sendable {
    struct Product: Sendable {
        let code: String
        let display: String
        /// The concentration's number as written (`100`).
        let concentration: FHIRDecimal
        /// The strength's numerator and denominator UCUM units (`mg`, `mL` from `mg/mL`).
        let numeratorUnit: String
        let denominatorUnit: String
    }

    let system: String
    let products: [String: Product]

    static func load(path: String) throws(LocalRecordError) -> ProductTable {
        let root = MappingJSON(try MappingFiles.tree(atPath: path), file: path)
        let system = try root.member("system").string()
        var products: [String: Product] = [:]
        for entry in try root.member("products").array() {
            let code = try entry.member("code").string()
            let concentration = try entry.member("concentration")
            let unit = try concentration.member("unit").string()
            let parts = unit.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, UCUM.validate(String(parts[0])) == nil, UCUM.validate(String(parts[1])) == nil else {
                throw LocalRecordError(.invalidMappings,
                    "\(path): product \(code): concentration unit \"\(unit)\" must be a UCUM mass per volume such as mg/mL")
            }
            products[code] = Product(
                code: code, display: try entry.member("display").string(),
                concentration: try! FHIRDecimal(try concentration.member("value").number()),  // number() checked the grammar
                numeratorUnit: String(parts[0]), denominatorUnit: String(parts[1]))
        }
        return ProductTable(system: system, products: products)
    }
}
