public import ExactArithmetic
import Foundation
public import IVIGProducts

/// The IVIG dosing thresholds, read from a rules file (`Mappings/ivig-dosing-rules.json`) and
/// the product table it names (`Mappings/products.json`), so that another hospital changes
/// files, not code. Numbers are written as strings in both files and parsed exactly.
public struct DosingRules: Sendable {
    /// A code that identifies something (a condition, a product, an observation).
    public struct Code: Hashable, Sendable {
        /// The code system URL.
        public var system: String
        /// The code; `*` matches any code of the system.
        public var code: String
        /// Whether `code` is a prefix (`D80` matches `D80.1`).
        public var isPrefix: Bool

        /// Whether a coding's system and code match this one.
        public func matches(system: String?, code: String?) -> Bool {
            guard let system, let code, system == self.system else { return false }
            if self.code == "*" { return true }
            return isPrefix ? code.hasPrefix(self.code) : code == self.code
        }
    }

    /// An inclusive range; a missing bound is no bound.
    public struct Bounds: Hashable, Sendable {
        /// The lowest value allowed, if any.
        public var minimum: ExactDecimal?
        /// The highest value allowed, if any.
        public var maximum: ExactDecimal?
    }

    /// One way an indication is dosed (induction, maintenance, …).
    public struct Regimen: Sendable {
        /// The regimen's name in messages (`induction`, `maintenance`).
        public var id: String
        /// `courseOfTherapyType` codes this regimen applies to (`acute`, `continuous`).
        public var courseOfTherapy: [String]
        /// The whole course's dose per kg (g/kg).
        public var courseGramsPerKg: Bounds
        /// The dose per kg of one infusion day (g/kg/day).
        public var dailyGramsPerKg: Bounds
        /// The number of infusion days.
        public var days: Bounds
        /// Days between the starts of consecutive courses; `nil` when not checked.
        public var intervalDays: Bounds?
        /// `false` when a second course is not advised at all (GBS).
        public var repeatAdvised: Bool
        /// Where the values come from (a section of ivig-dosing.md and its sources).
        public var source: String
    }

    /// An indication: its codes and regimens.
    public struct Indication: Sendable {
        /// The shared indication id (`CIDP`, `KD`, …).
        public var id: String
        /// The indication in words.
        public var name: String
        /// The SNOMED CT and ICD-10-CM codes that name it.
        public var codes: [Code]
        /// No day of any regimen exceeds this dose per kg.
        public var maximumDailyGramsPerKg: ExactDecimal?
        /// Its regimens, in the order a course is matched against them.
        public var regimens: [Regimen]
    }

    /// A strength or disability scale an Observation may report.
    public struct Scale: Sendable {
        /// The scale's id in the rules file (`mrc-sum-score`).
        public var id: String
        /// The scale in words, for messages.
        public var name: String
        /// The Observation codes that report it.
        public var codes: [Code]
        /// The UCUM unit the values must be convertible to (`kg`), or `nil` for a unitless score.
        public var unit: String?
        /// The values on the scale.
        public var bounds: Bounds
        /// Whether values are whole numbers (points).
        public var integer: Bool
    }

    /// The indications and their regimens.
    public var indications: [Indication] {
        get { stored.fields.indications }
        set { stored = Stored(stored.fields, \.indications, newValue) }
    }
    /// The product table the rules file names (`products.json`).
    public var products: ProductTable {
        get { stored.fields.products }
        set { stored = Stored(stored.fields, \.products, newValue) }
    }
    /// Codes that make a medication IVIG.
    public var ivigMedicationCodes: [Code] {
        get { stored.fields.ivigMedicationCodes }
        set { stored = Stored(stored.fields, \.ivigMedicationCodes, newValue) }
    }
    /// Course length allowed whatever the indication.
    public var courseDays: Bounds {
        get { stored.fields.courseDays }
        set { stored = Stored(stored.fields, \.courseDays, newValue) }
    }
    /// Doses in grams may differ from dose-per-kg × weight by half of this per infusion day.
    public var roundingGrams: ExactDecimal {
        get { stored.fields.roundingGrams }
        set { stored = Stored(stored.fields, \.roundingGrams, newValue) }
    }
    /// How far a given dose may be from the ordered dose, in percent (on top of the rounding).
    public var administrationTolerancePercent: ExactDecimal {
        get { stored.fields.administrationTolerancePercent }
        set { stored = Stored(stored.fields, \.administrationTolerancePercent, newValue) }
    }
    /// Observation codes of body weight (LOINC 29463-7).
    public var bodyWeightCodes: [Code] {
        get { stored.fields.bodyWeightCodes }
        set { stored = Stored(stored.fields, \.bodyWeightCodes, newValue) }
    }
    /// The plausible range of a body weight, in kg.
    public var bodyWeightKg: Bounds {
        get { stored.fields.bodyWeightKg }
        set { stored = Stored(stored.fields, \.bodyWeightKg, newValue) }
    }
    /// Observation codes of body height (LOINC 8302-2).
    public var bodyHeightCodes: [Code] {
        get { stored.fields.bodyHeightCodes }
        set { stored = Stored(stored.fields, \.bodyHeightCodes, newValue) }
    }
    /// Dose-determining weight: applies above this BMI.
    public var dosingWeightBMIAbove: ExactDecimal {
        get { stored.fields.dosingWeightBMIAbove }
        set { stored = Stored(stored.fields, \.dosingWeightBMIAbove, newValue) }
    }
    /// Ideal body weight at 60 inches, by `Patient.gender` (`male`, `female`).
    public var idealBodyWeightBaseKg: [String: ExactDecimal] {
        get { stored.fields.idealBodyWeightBaseKg }
        set { stored = Stored(stored.fields, \.idealBodyWeightBaseKg, newValue) }
    }
    /// Ideal body weight added per inch over 60.
    public var idealBodyWeightKgPerInch: ExactDecimal {
        get { stored.fields.idealBodyWeightKgPerInch }
        set { stored = Stored(stored.fields, \.idealBodyWeightKgPerInch, newValue) }
    }
    /// The share of the excess over ideal weight that counts (0.4).
    public var dosingWeightAdjustment: ExactDecimal {
        get { stored.fields.dosingWeightAdjustment }
        set { stored = Stored(stored.fields, \.dosingWeightAdjustment, newValue) }
    }
    /// Strength and disability scales.
    public var scales: [Scale] {
        get { stored.fields.scales }
        set { stored = Stored(stored.fields, \.scales, newValue) }
    }
    /// The code system of `courseOfTherapyType` codes that pick a regimen.
    public var courseOfTherapySystem: String {
        get { stored.fields.courseOfTherapySystem }
        set { stored = Stored(stored.fields, \.courseOfTherapySystem, newValue) }
    }

    /// The values, held once: the dosing layer's checkers each keep the rules, and a copy of a
    /// struct of arrays, tables and decimals would retain each of them. Immutable; a change
    /// makes a new one.
    private final class Stored: Sendable {
        let fields: Fields
        /// What medications are under these rules, kept while they do not change.
        let medicationIdentities = MedicationIdentityCache()

        init(_ fields: Fields) { self.fields = fields }

        /// `fields` with one of them changed.
        convenience init<Value>(_ fields: Fields, _ path: WritableKeyPath<Fields, Value>, _ value: Value) {
            var changed = fields
            changed[keyPath: path] = value
            self.init(changed)
        }
    }

    private struct Fields: Sendable {
        var indications: [Indication]
        var products: ProductTable
        var ivigMedicationCodes: [Code]
        var courseDays: Bounds
        var roundingGrams: ExactDecimal
        var administrationTolerancePercent: ExactDecimal
        var bodyWeightCodes: [Code]
        var bodyWeightKg: Bounds
        var bodyHeightCodes: [Code]
        var dosingWeightBMIAbove: ExactDecimal
        var idealBodyWeightBaseKg: [String: ExactDecimal]
        var idealBodyWeightKgPerInch: ExactDecimal
        var dosingWeightAdjustment: ExactDecimal
        var scales: [Scale]
        var courseOfTherapySystem: String
    }

    private var stored: Stored

    /// The identities of medications worked out under these rules (a Medication's identity
    /// depends only on its content and the rules); a changed copy of the rules starts afresh.
    var medicationIdentities: MedicationIdentityCache { stored.medicationIdentities }

    /// Reads a rules file and the product table it names (`productsFile`, relative to it).
    ///
    /// - Throws: ``DosingRulesError`` naming the file and what is wrong.
    public init(contentsOf path: String) throws(DosingRulesError) {
        guard let rules = FileManager.default.contents(atPath: path) else {
            throw DosingRulesError("\(path): the rules file cannot be read")
        }
        let file: RulesFile
        do {
            file = try JSONDecoder().decode(RulesFile.self, from: rules)
        } catch {
            throw DosingRulesError("\(path): \(DosingRulesError.describe(error))")
        }
        let folder = (path as NSString).deletingLastPathComponent
        let productsPath =
            file.productsFile.hasPrefix("/")
            ? file.productsFile : (folder as NSString).appendingPathComponent(file.productsFile)
        guard let products = FileManager.default.contents(atPath: productsPath) else {
            throw DosingRulesError("\(productsPath): the product table named by \(path) cannot be read")
        }
        try self.init(rulesJSON: [UInt8](rules), productsJSON: [UInt8](products), names: (path, productsPath))
    }

    /// Reads the rules and the product table from their JSON text.
    ///
    /// - Throws: ``DosingRulesError`` saying what is wrong.
    public init(rulesJSON: [UInt8], productsJSON: [UInt8]) throws(DosingRulesError) {
        try self.init(rulesJSON: rulesJSON, productsJSON: productsJSON, names: ("rules", "products"))
    }

    private init(rulesJSON: [UInt8], productsJSON: [UInt8], names: (String, String)) throws(DosingRulesError) {
        let file: RulesFile
        do {
            file = try JSONDecoder().decode(RulesFile.self, from: Data(rulesJSON))
        } catch {
            throw DosingRulesError("\(names.0): \(DosingRulesError.describe(error))")
        }
        let products: ProductTable
        do throws(ProductTableError) {
            products = try ProductTable(json: productsJSON, name: names.1)
        } catch {
            throw DosingRulesError(error.description)
        }
        let number = NumberReader(file: names.0)
        let indications = try file.indications.map { (indication) throws(DosingRulesError) in
            Indication(
                id: indication.id, name: indication.name, codes: indication.codes.map(\.asCode),
                maximumDailyGramsPerKg: try number.optional(
                    indication.maximumDailyGramsPerKg, "\(indication.id).maximumDailyGramsPerKg"),
                regimens: try indication.regimens.map { (regimen) throws(DosingRulesError) in
                    let at = "\(indication.id).\(regimen.id)"
                    return Regimen(
                        id: regimen.id, courseOfTherapy: regimen.courseOfTherapy,
                        courseGramsPerKg: try number.bounds(regimen.courseGramsPerKg, at + ".courseGramsPerKg"),
                        dailyGramsPerKg: try number.bounds(regimen.dailyGramsPerKg, at + ".dailyGramsPerKg"),
                        days: try number.bounds(regimen.days, at + ".days"),
                        intervalDays: try regimen.intervalDays.map { (bounds) throws(DosingRulesError) in
                            try number.bounds(bounds, at + ".intervalDays")
                        },
                        repeatAdvised: regimen.repeatAdvised ?? true, source: regimen.source)
                })
        }
        let ivigMedicationCodes = file.ivigMedicationCodes.map(\.asCode)
        let courseDays = Bounds(
            minimum: try number.required(file.course.minimumDays, "course.minimumDays"),
            maximum: try number.required(file.course.maximumDays, "course.maximumDays"))
        let roundingGrams = try number.required(file.dose.roundingGrams, "dose.roundingGrams")
        let administrationTolerancePercent = try number.required(
            file.dose.administrationTolerancePercent, "dose.administrationTolerancePercent")
        let bodyWeightCodes = file.bodyWeight.codes.map(\.asCode)
        let bodyWeightKg = Bounds(
            minimum: try number.required(file.bodyWeight.minimumKg, "bodyWeight.minimumKg"),
            maximum: try number.required(file.bodyWeight.maximumKg, "bodyWeight.maximumKg"))
        let bodyHeightCodes = file.bodyHeight.codes.map(\.asCode)
        let dosingWeightBMIAbove = try number.required(file.dosingWeight.bmiAbove, "dosingWeight.bmiAbove")
        var bases: [String: ExactDecimal] = [:]
        for (gender, text) in file.dosingWeight.idealBodyWeightKg {
            bases[gender] = try number.required(text, "dosingWeight.idealBodyWeightKg.\(gender)")
        }
        let idealBodyWeightBaseKg = bases
        let idealBodyWeightKgPerInch = try number.required(
            file.dosingWeight.kgPerInchOver60, "dosingWeight.kgPerInchOver60")
        let dosingWeightAdjustment = try number.required(
            file.dosingWeight.adjustmentFactor, "dosingWeight.adjustmentFactor")
        let scales = try file.strengthScales.map { (scale) throws(DosingRulesError) in
            Scale(
                id: scale.id, name: scale.name, codes: scale.codes.map(\.asCode), unit: scale.unit,
                bounds: Bounds(
                    minimum: try number.optional(scale.minimum, "\(scale.id).minimum"),
                    maximum: try number.optional(scale.maximum, "\(scale.id).maximum")),
                integer: scale.integer ?? false)
        }
        let courseOfTherapySystem = file.courseOfTherapySystem
        stored = Stored(
            Fields(
                indications: indications,
                products: products,
                ivigMedicationCodes: ivigMedicationCodes,
                courseDays: courseDays,
                roundingGrams: roundingGrams,
                administrationTolerancePercent: administrationTolerancePercent,
                bodyWeightCodes: bodyWeightCodes,
                bodyWeightKg: bodyWeightKg,
                bodyHeightCodes: bodyHeightCodes,
                dosingWeightBMIAbove: dosingWeightBMIAbove,
                idealBodyWeightBaseKg: idealBodyWeightBaseKg,
                idealBodyWeightKgPerInch: idealBodyWeightKgPerInch,
                dosingWeightAdjustment: dosingWeightAdjustment,
                scales: scales,
                courseOfTherapySystem: courseOfTherapySystem))
    }

    /// The indication a coding names, if any.
    func indication(system: String?, code: String?) -> Indication? {
        indications.first { $0.codes.contains { $0.matches(system: system, code: code) } }
    }
}

/// A rules file or product table that cannot be used, and why.
public struct DosingRulesError: Error, Sendable, CustomStringConvertible {
    /// The file, the field and what is wrong with it.
    public let description: String
    init(_ description: String) { self.description = description }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing '\(key.stringValue)' at \(path(context.codingPath))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "\(context.debugDescription) at \(path(context.codingPath))"
        case DecodingError.dataCorrupted(let context):
            return "not valid JSON: \(context.debugDescription)"
        default:
            return "\(error)"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.isEmpty ? "the top level" : keys.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
    }
}

/// Parses the numbers of a rules file, naming the field of any that is not a decimal.
private struct NumberReader {
    let file: String

    func required(_ text: String, _ field: String) throws(DosingRulesError) -> ExactDecimal {
        guard let value = ExactDecimal(text) else {
            throw DosingRulesError("\(file): \(field) is '\(text)', not a decimal number")
        }
        return value
    }

    func optional(_ text: String?, _ field: String) throws(DosingRulesError) -> ExactDecimal? {
        guard let text else { return nil }
        return try required(text, field)
    }

    func bounds(_ bounds: RulesFile.BoundsText, _ field: String) throws(DosingRulesError) -> DosingRules.Bounds {
        DosingRules.Bounds(
            minimum: try optional(bounds.minimum, field + ".minimum"),
            maximum: try optional(bounds.maximum, field + ".maximum"))
    }
}

/// The rules file as written.
private struct RulesFile: Decodable {
    struct CodeText: Decodable {
        var system: String
        var code: String
        var prefix: Bool?
        var asCode: DosingRules.Code { DosingRules.Code(system: system, code: code, isPrefix: prefix ?? false) }
    }

    struct BoundsText: Decodable {
        var minimum: String?
        var maximum: String?
    }

    struct RegimenText: Decodable {
        var id: String
        var courseOfTherapy: [String]
        var courseGramsPerKg: BoundsText
        var dailyGramsPerKg: BoundsText
        var days: BoundsText
        var intervalDays: BoundsText?
        var repeatAdvised: Bool?
        var source: String
    }

    struct IndicationText: Decodable {
        var id: String
        var name: String
        var codes: [CodeText]
        var maximumDailyGramsPerKg: String?
        var regimens: [RegimenText]
    }

    struct CourseText: Decodable {
        var minimumDays: String
        var maximumDays: String
    }

    struct DoseText: Decodable {
        var roundingGrams: String
        var administrationTolerancePercent: String
    }

    struct WeightText: Decodable {
        var codes: [CodeText]
        var minimumKg: String
        var maximumKg: String
    }

    struct HeightText: Decodable {
        var codes: [CodeText]
    }

    struct DosingWeightText: Decodable {
        var bmiAbove: String
        var idealBodyWeightKg: [String: String]
        var kgPerInchOver60: String
        var adjustmentFactor: String
    }

    struct ScaleText: Decodable {
        var id: String
        var name: String
        var codes: [CodeText]
        var unit: String?
        var minimum: String?
        var maximum: String?
        var integer: Bool?
    }

    var productsFile: String
    var ivigMedicationCodes: [CodeText]
    var course: CourseText
    var dose: DoseText
    var bodyWeight: WeightText
    var bodyHeight: HeightText
    var dosingWeight: DosingWeightText
    var strengthScales: [ScaleText]
    var courseOfTherapySystem: String
    var indications: [IndicationText]
}
