public import ExactArithmetic

/// UCUM units: validate a code, reduce it to base units, convert values exactly, multiply and
/// divide quantities, and name a unit in words. Codes are case-sensitive (`mL`, not `ML`).
///
/// The unit table is UCUM's own (`ucum-essence.xml`, version ``tableVersion``), generated into
/// `Sources/UCUM/Generated` by `UCUMTableGenerator`.
///
/// ```swift
/// UCUM.validate("mg/12h")?.description
/// // invalid UCUM unit 'mg/12h' at column 4: '12h' is not a unit; join a number to a unit with '.' (write 12.h)
/// try UCUM.convert("0.08", from: "mL/kg/min", to: "mL/kg/h").value   // 4.8
/// ```
public enum UCUM {
    /// The most significant digits kept when a converted value does not terminate (`1/3`).
    public static let maximumSignificantDigits = 40

    /// The version of UCUM the table was generated from.
    public static var tableVersion: String { UCUMTable.version }

    /// Parses `code` into a unit.
    ///
    /// - Parameter code: A case-sensitive UCUM expression.
    /// - Throws: ``UCUMError`` with the reason and position.
    public static func parse(_ code: String) throws(UCUMError) -> UCUMUnit {
        try UCUMUnit(code)
    }

    /// `nil` when `code` is a valid UCUM expression, otherwise why it is not and where.
    ///
    /// - Note: The empty string is accepted as unity, as in HL7 v3 and Ucum-java.
    public static func validate(_ code: String) -> UCUMError? {
        do {
            _ = try UCUMParser.parse(code)
            return nil
        } catch {
            return error
        }
    }

    /// Whether values can be converted between the two units.
    ///
    /// - Throws: ``UCUMError`` when either code is invalid.
    public static func isCommensurable(_ a: String, _ b: String) throws(UCUMError) -> Bool {
        try UCUMUnit(a).isCommensurable(with: UCUMUnit(b))
    }

    /// Converts `value` from one unit to another, exactly (see ``UCUMConversion`` for precision).
    /// Special units (`Cel`, `[degF]`, `[pH]`, …) convert through their functions.
    ///
    /// - Parameters:
    ///   - value: The number to convert.
    ///   - source: The unit `value` is in.
    ///   - target: The unit wanted.
    /// - Throws: ``UCUMError`` when a unit is invalid, the units are not commensurable, or a
    ///   special unit is used inside a product.
    public static func convert(_ value: ExactDecimal, from source: String, to target: String) throws(UCUMError)
        -> UCUMConversion
    {
        try UCUMConverter.convert(value, from: UCUMUnit(source), to: UCUMUnit(target))
    }

    /// Converts decimal text (`0.08`, `1e-3`); see ``convert(_:from:to:)-(ExactDecimal,_,_)``.
    ///
    /// - Throws: ``UCUMError`` with code ``UCUMError/Code/invalidValue`` when `value` is not a
    ///   decimal number, or any error of the conversion.
    public static func convert(_ value: String, from source: String, to target: String) throws(UCUMError)
        -> UCUMConversion
    {
        let number: ExactDecimal
        do {
            number = try ExactDecimal(parsing: value)
        } catch {
            throw UCUMError(.invalidValue, value, "'\(value)' is not a decimal number: \(error)")
        }
        return try convert(number, from: source, to: target)
    }

    /// The unit in words: `(milligram) / (kilogram)`.
    ///
    /// - Throws: ``UCUMError`` when `code` is invalid.
    public static func displayName(_ code: String) throws(UCUMError) -> String {
        try UCUMUnit(code).displayName
    }

    /// The product of two quantities: values multiply exactly; units join with `.`.
    ///
    /// - Throws: ``UCUMError`` when a unit is invalid or special.
    public static func multiply(_ a: UCUMQuantity, _ b: UCUMQuantity) throws(UCUMError) -> UCUMQuantity {
        try UCUMQuantityArithmetic.multiply(a, b)
    }

    /// The quotient of two quantities. Commensurable units give a pure number (unit `1`):
    /// `1 [lb_av]/h ÷ 1 kg/s` is `0.000125997880555…`. A quotient that does not terminate is
    /// rounded to ``maximumSignificantDigits`` digits.
    ///
    /// - Throws: ``UCUMError`` when a unit is invalid or special, or `b` is zero.
    public static func divide(_ a: UCUMQuantity, _ b: UCUMQuantity) throws(UCUMError) -> UCUMQuantity {
        try UCUMQuantityArithmetic.divide(a, b)
    }
}
