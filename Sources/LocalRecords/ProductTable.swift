internal import FHIRCore
internal import IVIGProducts

/// The product table (`Mappings/products.json`) as the mapping uses it: read by the one
/// ``IVIGProducts/ProductTable`` reader, with the errors the mapping reports.
extension ProductTable {
    static func load(path: String) throws(LocalRecordError) -> ProductTable {
        do throws(ProductTableError) {
            return try ProductTable(contentsOf: path)
        } catch {
            throw LocalRecordError(.invalidMappings, error.description)
        }
    }
}

extension ProductTable.Product {
    /// The concentration's number as written (`100`), for `Medication.ingredient.strength`.
    var strengthValue: FHIRDecimal { try! FHIRDecimal(concentrationText) }  // the reader checked it is a decimal
    /// The strength's numerator and denominator UCUM units (`mg`, `mL` from `mg/mL`).
    var strengthUnits: (numerator: String, denominator: String) {
        let parts = concentrationUnit.split(separator: "/", maxSplits: 1)
        return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "1")
    }
}
