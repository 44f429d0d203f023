public import ExactArithmetic
internal import FHIRCore
internal import FHIRJSON
internal import UCUM

#if canImport(FoundationEssentials)
    internal import FoundationEssentials
#else
    internal import Foundation
#endif

/// The IVIG products ivig-fhir knows (`Mappings/products.json`): how records name them (the
/// project's product code, NDC, RxNorm, SNOMED CT codes, brand names), their concentration,
/// vial sizes and label infusion rates per indication.
///
/// The one reader of the file: validation, the local-record mapping and the sample generator
/// all use it. Numbers are read exactly from their text.
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

    /// A code that names a product in a standard code system (NDC, RxNorm, SNOMED CT).
    public struct ProductCode: Sendable, Hashable {
        /// The code system URL (`http://hl7.org/fhir/sid/ndc`).
        public var system: String
        /// The code (`44206-439`).
        public var code: String
        /// Whether longer codes that start with this one and a `-` name the product too (an NDC
        /// product code matches its package codes: `44206-439` matches `44206-439-40`).
        public var matchesPackages: Bool
        /// `confirmed` or `unconfirmed`, as the source table says.
        public var status: String
        /// Where the code comes from.
        public var source: String

        /// Whether a coding's code names this product.
        public func matches(system: String, code: String) -> Bool {
            guard system == self.system else { return false }
            return code == self.code || (matchesPackages && code.hasPrefix(self.code + "-"))
        }
    }

    /// One product.
    public struct Product: Sendable {
        /// The code in ``ProductTable/system`` (`privigen-10`).
        public var code: String
        /// The product's name with its strength (`Privigen 10%`).
        public var display: String
        /// Brand names as records write them in text (`Privigen`), matched whole-word and
        /// case-insensitively.
        public var names: [String]
        /// The product's codes in standard code systems.
        public var codes: [ProductCode]
        /// The ATC class (`J06BA02`): a class of products, so it never identifies one.
        public var atc: String?
        /// The IgG concentration as written (`100`), in ``concentrationUnit``.
        public var concentration: ExactDecimal
        /// The concentration's number exactly as the file writes it.
        public var concentrationText: String
        /// The unit of ``concentration``: a UCUM mass per volume (`mg/mL`).
        public var concentrationUnit: String
        /// The concentration in mg/mL.
        public var milligramsPerMillilitre: ExactRational
        /// Vial sizes in grams of IgG.
        public var vialsGrams: [ExactDecimal]
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
    /// The products, in the file's order.
    public var products: [Product] {
        didSet { productWords = Self.words(of: products) }
    }

    /// Each product's names and strength texts as words, kept in step with ``products``:
    /// ``products(namedIn:)`` matches them against a medication's text for every record.
    private var productWords: [ProductWords] = []

    private struct ProductWords: Sendable {
        let names: [[String]]
        let strengths: [[String]]
    }

    private static func words(of products: [Product]) -> [ProductWords] {
        products.map { product in
            ProductWords(names: product.names.map(words(of:)), strengths: strengthTexts(of: product).map(words(of:)))
        }
    }

    /// The product a code of ``system`` names.
    public func product(code: String) -> Product? { products.first { $0.code == code } }

    /// The product a coding names: a code of ``system``, or one of a product's ``Product/codes``.
    public func product(system: String, code: String) -> Product? {
        if system == self.system { return product(code: code) }
        return products.first { product in product.codes.contains { $0.matches(system: system, code: code) } }
    }

    /// The products whose brand name the text contains as a whole word (case-insensitive):
    /// "Privigen 10% solution for infusion" names Privigen 10%. A name shared by products of
    /// several strengths (Octagam) is narrowed by a strength the text states (`5%`, `50 mg/mL`).
    public func products(namedIn text: String) -> [Product] {
        let words = Self.words(of: text)
        let named = products.indices.filter { index in
            productWords[index].names.contains { name in Self.contains(words, name) }
        }
        guard named.count > 1 else { return named.map { products[$0] } }
        let stated = named.filter { index in
            productWords[index].strengths.contains { Self.contains(words, $0) }
        }
        return (stated.isEmpty ? named : stated).map { products[$0] }
    }

    /// Reads `products.json`.
    /// - Throws: ``ProductTableError`` naming the file and what is wrong.
    public init(contentsOf path: String) throws(ProductTableError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ProductTableError("\(path): the product table cannot be read")
        }
        try self.init(json: [UInt8](data), name: path)
    }

    /// Reads the product table from its JSON text; `name` names it in errors.
    /// - Throws: ``ProductTableError`` naming the field and what is wrong.
    public init(json: [UInt8], name: String) throws(ProductTableError) {
        let tree: JSONTree
        do throws(FHIRDiagnostic) {
            tree = try JSONTree.parse(json)
        } catch {
            throw ProductTableError("\(name): not valid JSON: \(error)")
        }
        let root = Field(tree: tree, file: name, path: "")
        system = try root.member("system").string()
        rateUnit = try root.member("rateUnit").string()
        let rateUnit = self.rateUnit
        products = try root.member("products").array().map { (entry) throws(ProductTableError) in
            try Self.product(entry, rateUnit: rateUnit)
        }
        productWords = Self.words(of: products)  // an initializer does not call didSet
    }

    private static func product(_ item: Field, rateUnit: String) throws(ProductTableError) -> Product {
        let code = try item.member("code").string()
        // Errors name the product by its code, not its index.
        let entry = Field(tree: item.tree, file: item.file, path: code)
        let concentrationField = try entry.member("concentration")
        let concentrationText = try concentrationField.member("value").number()
        let concentration = try concentrationField.member("value").decimal()
        let unit = try concentrationField.member("unit").string()
        guard let perMillilitre = factor(from: unit, to: "mg/mL") else {
            throw entry.error("concentration.unit is '\(unit)', not a UCUM mass per volume such as mg/mL")
        }
        let milligramsPerMillilitre = ExactRational(concentration) * perMillilitre
        var codes: [ProductCode] = []
        for item in try entry.optionalMember("codes")?.array() ?? [] {
            codes.append(
                ProductCode(
                    system: try item.member("system").string(), code: try item.member("code").string(),
                    matchesPackages: try item.optionalMember("matchesPackages")?.bool() ?? false,
                    status: try item.member("status").string(), source: try item.member("source").string()))
        }
        let rates = try entry.member("rates").array().map { (row) throws(ProductTableError) in
            let unit = try row.optionalMember("unit")?.string() ?? rateUnit
            let initial = try row.member("initial").optionalDecimal()
            let maximum = try row.member("maximum").optionalDecimal()
            let toPerKgPerMin = factorToMgPerKgPerMin(from: unit, milligramsPerMillilitre: milligramsPerMillilitre)
            if toPerKgPerMin == nil && (initial != nil || maximum != nil) {
                throw row.error("unit is '\(unit)', not a UCUM mass or volume per kg per time (mg/kg/min, mL/kg/h)")
            }
            return Rates(
                indications: try row.member("indications").array().map { (item) throws(ProductTableError) in
                    try item.string()
                },
                initial: initial.map { ExactRational($0) * toPerKgPerMin! },
                maximum: maximum.map { ExactRational($0) * toPerKgPerMin! },
                labelInitial: initial, labelMaximum: maximum, labelUnit: unit,
                source: try row.member("source").string(), status: try row.member("status").string())
        }
        return Product(
            code: code, display: try entry.member("display").string(),
            names: try entry.optionalMember("names")?.array().map { (item) throws(ProductTableError) in
                try item.string()
            } ?? [],
            codes: codes, atc: try entry.optionalMember("atc")?.string(),
            concentration: concentration, concentrationText: concentrationText, concentrationUnit: unit,
            milligramsPerMillilitre: milligramsPerMillilitre,
            vialsGrams: try entry.optionalMember("vialsGrams")?.array().map { (item) throws(ProductTableError) in
                try item.decimal()
            } ?? [],
            rates: rates)
    }

    /// The exact factor between two commensurable UCUM units, `nil` when they are not.
    static func factor(from source: String, to target: String) -> ExactRational? {
        guard let from = try? UCUM.parse(source), let to = try? UCUM.parse(target), !from.containsSpecialUnit,
            !to.containsSpecialUnit, from.isCommensurable(with: to)
        else { return nil }
        return from.canonical.factor.dividing(by: to.canonical.factor)
    }

    /// The exact factor from a label rate unit to mg/kg/min: directly for a mass per kg per time,
    /// through the concentration for a volume per kg per time (`mL/kg/h` × mg/mL).
    static func factorToMgPerKgPerMin(from unit: String, milligramsPerMillilitre: ExactRational) -> ExactRational? {
        if let direct = factor(from: unit, to: "mg/kg/min") { return direct }
        guard let throughVolume = factor(from: "(\(unit)).mg/mL", to: "mg/kg/min") else { return nil }
        return milligramsPerMillilitre * throughVolume
    }

    /// `10%`, `10 %`, `100 mg/mL`: how a text states a product's strength.
    private static func strengthTexts(of product: Product) -> [String] {
        let mgPerML = product.milligramsPerMillilitre
        var texts = [mgPerML.description + " mg/mL"]
        if let percent = mgPerML.dividing(by: ExactRational(10)).terminatingDecimal {
            texts += ["\(percent)%", "\(percent) %"]
        }
        return texts
    }

    /// Lower-case words: letters and digits runs, with `%` and `.` kept as their own tokens so
    /// `10%` is `["10", "%"]` and `Gamunex-C` is `["gamunex", "c"]`.
    private static func words(of text: String) -> [String] {
        var words: [String] = []
        var current = ""
        for character in text.lowercased() {
            if character.isLetter || character.isNumber
                || character == "." && !current.isEmpty && current.last!.isNumber
            {
                current.append(character)
            } else {
                if !current.isEmpty { words.append(current) }
                current = ""
                if character == "%" { words.append("%") }
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    private static func contains(_ words: [String], _ phrase: [String]) -> Bool {
        guard !phrase.isEmpty, words.count >= phrase.count else { return false }
        return (0...(words.count - phrase.count)).contains { start in
            words[start..<(start + phrase.count)].elementsEqual(phrase)
        }
    }
}

extension ProductTable {
    /// The package's own `Mappings/products.json`, found from this source file's place in the
    /// package (`$IVIG_FHIR_PRODUCTS` names another): for tests, benchmarks and tools run from
    /// a build of the package. The CLI finds the file where it finds the other mapping files.
    public static func packagePath() -> String {
        if let path = ProcessInfo.processInfo.environment["IVIG_FHIR_PRODUCTS"], !path.isEmpty { return path }
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // Sources/IVIGProducts/ProductTable.swift
        return parts.joined(separator: "/") + "/Mappings/products.json"
    }
}

/// A product table that cannot be used, and why.
public struct ProductTableError: Error, Sendable, CustomStringConvertible {
    /// The file, the field and what is wrong with it.
    public let description: String
    init(_ description: String) { self.description = description }
}

/// A value of the product table with its place, so every error names the file and field.
private struct Field {
    let tree: JSONTree
    let file: String
    let path: String

    func error(_ problem: String) -> ProductTableError {
        ProductTableError("\(file): \(path.isEmpty ? "the file" : path): \(problem)")
    }

    func member(_ key: String) throws(ProductTableError) -> Field {
        guard let found = optionalMember(key) else { throw error("has no \"\(key)\"") }
        return found
    }

    func optionalMember(_ key: String) -> Field? {
        guard case .object(let members) = tree, let value = members[key] else { return nil }
        return Field(tree: value, file: file, path: path.isEmpty ? key : path + "." + key)
    }

    func string() throws(ProductTableError) -> String {
        guard case .string(let text) = tree, !text.isEmpty else { throw error("must be a non-empty string") }
        return text
    }

    func bool() throws(ProductTableError) -> Bool {
        guard case .bool(let value) = tree else { throw error("must be true or false") }
        return value
    }

    func array() throws(ProductTableError) -> [Field] {
        guard case .array(let elements) = tree else { throw error("must be an array") }
        return elements.enumerated().map { Field(tree: $1, file: file, path: "\(path)[\($0)]") }
    }

    /// A decimal written as a JSON string (`"0.5"`, so no reader can lose a digit) or number.
    func number() throws(ProductTableError) -> String {
        switch tree {
        case .string(let text), .number(lexeme: let text):
            guard ExactDecimal(text) != nil else { throw error("is '\(text)', not a decimal number") }
            return text
        default: throw error("must be a decimal number")
        }
    }

    func decimal() throws(ProductTableError) -> ExactDecimal { ExactDecimal(try number())! }

    /// A decimal, or `null` for a label value that was not found.
    func optionalDecimal() throws(ProductTableError) -> ExactDecimal? {
        if case .null = tree { return nil }
        return try decimal()
    }
}
