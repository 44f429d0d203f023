import ExactArithmetic

/// A problem found in a FHIR Quantity's unit fields.
public struct UnitFinding: Sendable, Hashable, CustomStringConvertible {
    /// How serious the finding is.
    public enum Severity: String, Sendable, Hashable {
        /// The Quantity breaks a rule (an invalid code, a code without the UCUM system).
        case error
        /// Probably a mistake (unit text that says something else than the code).
        case warning
    }

    /// How serious the finding is.
    public let severity: Severity
    /// A stable identifier of the rule, such as `ucum-quantity-human-spelling`.
    public let ruleID: String
    /// The Quantity element at fault: `code`, `unit`, `system` or `value`.
    public let element: String
    /// A sentence for a person, naming the value and the reason.
    public let message: String
    /// The UCUM code that was probably meant, for a human spelling (`h` for `hr`).
    public let suggestedCode: String?

    /// `error [rule] element: message`.
    public var description: String { "\(severity.rawValue) [\(ruleID)] \(element): \(message)" }
}

/// Checks the unit fields of a FHIR Quantity (`value`, `unit`, `system`, `code`) as plain strings,
/// so any model or wire format can use it.
///
/// Rules (`ruleID`):
/// - `ucum-quantity-value` (error): `value` is not a decimal number.
/// - `ucum-quantity-system` (error): a `code` is present but `system` is not `http://unitsofmeasure.org`.
/// - `ucum-quantity-code` (error): the `code` is not valid UCUM (the message gives the position).
/// - `ucum-quantity-human-spelling` (error in `code`, warning in `unit` text without a code): a
///   common human spelling such as `hr` or `mcg`, with ``UnitFinding/suggestedCode``.
/// - `ucum-quantity-unit-mismatch` (warning): the `unit` text names a different unit than `code`.
public enum UCUMQuantityCheck {
    /// The UCUM system URI.
    public static let ucumSystem = "http://unitsofmeasure.org"

    /// Checks one Quantity; an empty array means nothing was found.
    ///
    /// - Parameters:
    ///   - value: `Quantity.value` as its decimal text, if any.
    ///   - unit: `Quantity.unit`, the human-readable text, if any.
    ///   - system: `Quantity.system`, if any.
    ///   - code: `Quantity.code`, if any.
    public static func check(value: String?, unit: String?, system: String?, code: String?) -> [UnitFinding] {
        var findings: [UnitFinding] = []
        if let value, ExactDecimal(value) == nil {
            findings.append(UnitFinding(
                severity: .error, ruleID: "ucum-quantity-value", element: "value",
                message: "value '\(value)' is not a decimal number", suggestedCode: nil))
        }
        guard let code else {
            if let unit, let suggestion = UCUMHumanSpellings.suggestion(for: unit) {
                findings.append(UnitFinding(
                    severity: .warning, ruleID: "ucum-quantity-human-spelling", element: "unit",
                    message: "unit '\(unit)' is not a UCUM code; the UCUM code is probably '\(suggestion)' (give it in code, with system \(ucumSystem))",
                    suggestedCode: suggestion))
            }
            return findings
        }
        if system != ucumSystem {
            let actual = system.map { "is '\($0)'" } ?? "is missing"
            findings.append(UnitFinding(
                severity: .error, ruleID: "ucum-quantity-system", element: "system",
                message: "code '\(code)' needs system '\(ucumSystem)', but system \(actual)", suggestedCode: nil))
        }
        let parsed: UCUMUnit
        do {
            parsed = try UCUMUnit(code)
        } catch {
            if let suggestion = UCUMHumanSpellings.suggestion(for: code) {
                findings.append(UnitFinding(
                    severity: .error, ruleID: "ucum-quantity-human-spelling", element: "code",
                    message: "code '\(code)' is not UCUM (\(error.reason)); the UCUM code is probably '\(suggestion)'",
                    suggestedCode: suggestion))
            } else {
                findings.append(UnitFinding(
                    severity: .error, ruleID: "ucum-quantity-code", element: "code",
                    message: error.description, suggestedCode: nil))
            }
            return findings
        }
        if let unit, !unit.isEmpty, unit != code, !agrees(unitText: unit, with: parsed) {
            findings.append(UnitFinding(
                severity: .warning, ruleID: "ucum-quantity-unit-mismatch", element: "unit",
                message: "unit text '\(unit)' does not name the same unit as code '\(code)' \(parsed.displayName)",
                suggestedCode: nil))
        }
        return findings
    }

    /// Whether the human-readable text names the same unit as the code. `Quantity.unit` is text
    /// for people, so it agrees when it is:
    /// - an equivalent UCUM code (`ml` for `mL`) or a known human spelling of one
    ///   (``UCUMHumanSpellings``: `mcg` for `ug`, `yrs` for `a`, `degrees C` for `Cel`);
    /// - the same once words that are no unit are read as UCUM annotations, which is what UCUM
    ///   makes of them (`beats/minute` and `breaths per minute` are `{…}/min`, so they agree
    ///   with `/min`; `T-Score` is `{T-Score}`, so it agrees with `1`; `%O2` is `%{O2}`; a
    ///   trailing comment in parentheses is one too: `% (sample/positive control)`);
    /// - the unit's name or print symbol (`milligram`, `µg`), or a temperature's print symbol
    ///   without its degree sign (`C` for `Cel`, whose print symbol is `°C`: in a Quantity coded
    ///   `Cel`, `C` is the Celsius abbreviation, not the coulomb);
    /// - any text when the code carries an annotation (`{score}`, `mL/min/{1.73_m2}`), since
    ///   annotations are free text, unless the text names a different unit (`mg` for `{score}`).
    ///
    /// Text that names another unit (`mg` for `g`, `g/cm²` for `g/cm-2`) does not agree.
    static func agrees(unitText: String, with code: UCUMUnit) -> Bool {
        let text = String(unitText.trimmingSpaces)
        let readings = [text, UCUMHumanSpellings.suggestion(for: text), annotatedReading(of: text)].compactMap { $0 }
        var namesAUnit = false
        for reading in readings {
            guard let other = try? UCUMUnit(reading) else { continue }
            namesAUnit = true
            if other.canonical == code.canonical, other.containsSpecialUnit == code.containsSpecialUnit { return true }
        }
        if code.term.components.count == 1, case .unit(let prefix, let atom, 1)? = code.term.components.first?.kind {
            let name = (prefix?.name ?? "") + atom.name
            let symbol = (prefix.map { UCUMTable.prefixDefinitions.first { $0.code == prefix?.code }?.printSymbol ?? $0.code } ?? "")
                + atom.printSymbol
            let lowered = text.lowercased()
            if lowered == name.lowercased() || lowered == name.lowercased() + "s" || text == symbol { return true }
            if symbol.hasPrefix("°"), symbol.count > 1, text == String(symbol.dropFirst()) { return true }
        }
        return code.code.contains("{") && !namesAUnit
    }

    /// The text as UCUM with its words that are no unit read as annotations, which is what UCUM
    /// makes of them; `nil` when some symbol is neither a unit, a known spelling nor a word, or
    /// nothing changed. People write units in words, so:
    /// - `per` between phrases divides (`minutes per day` → `min/d`, `breaths per minute` →
    ///   `{breaths}/min`), and words in a phrase multiply (`mg elemental` → `mg.{elemental}`);
    /// - a word that is no unit is an annotation, hyphens included (`T-Score` → `{T-Score}`);
    /// - a unit symbol that ends in a sign, written against a word, keeps the word as its
    ///   annotation (`%O2` → `%{O2}`);
    /// - a trailing ` (comment)` is dropped (an annotation is the number one, like the comment),
    ///   and superscript digits are read as digits (`cm²` → `cm2`).
    static func annotatedReading(of text: String) -> String? {
        var body = text
        if body.hasSuffix(")"), let open = body.firstRange(of: " (") {
            body = String(body[..<open.lowerBound])
        }
        let superscripts: [Character: Character] = ["¹": "1", "²": "2", "³": "3"]
        body = String(body.map { superscripts[$0] ?? $0 })
        var out = ""
        for (index, phrase) in body.split(separator: " per ").enumerated() {
            if index > 0 { out += "/" }
            let phrase = String(phrase).trimmingSpaces
            if let spelled = UCUMHumanSpellings.table[String(phrase)] {
                out += spelled
                continue
            }
            for (wordIndex, word) in phrase.split(separator: " ").enumerated() {
                if wordIndex > 0 { out += "." }
                guard let reading = annotatedReading(ofWord: word) else { return nil }
                out += reading
            }
        }
        guard out != text, UCUM.validate(out) == nil else { return nil }
        return out
    }

    /// One word of unit text (no spaces) as UCUM, symbol by symbol between `/` and `.`.
    private static func annotatedReading(ofWord word: Substring) -> String? {
        var out = ""
        var symbol = ""
        func flush() -> Bool {
            defer { symbol = "" }
            if symbol.isEmpty { return true }
            guard let reading = reading(ofSymbol: symbol) else { return false }
            out += reading
            return true
        }
        for character in word {
            if character == "/" || character == "." {
                guard flush() else { return nil }
                out.append(character)
            } else {
                symbol.append(character)
            }
        }
        return flush() ? out : nil
    }

    /// A symbol as UCUM: a known spelling, a unit, a word as an annotation, or a unit ending in
    /// a sign followed by a word (`%O2`); `nil` for anything else.
    private static func reading(ofSymbol symbol: String) -> String? {
        if let spelled = UCUMHumanSpellings.table[symbol] { return spelled }
        if UCUM.validate(symbol) == nil { return symbol }
        if isWord(symbol[...]) { return "{" + symbol + "}" }
        var end = symbol.index(before: symbol.endIndex)
        while end > symbol.startIndex {
            let unit = symbol[..<end]
            let rest = symbol[end...]
            if let last = unit.last, !last.isLetter, !last.isNumber, UCUM.validate(String(unit)) == nil,
                isWord(rest), UCUM.validate(String(rest)) != nil
            {
                return unit + "{" + rest + "}"
            }
            end = symbol.index(before: end)
        }
        return nil
    }

    /// Letters, digits, `-` and `_`, with at least one letter: text UCUM may carry as an annotation.
    private static func isWord(_ text: Substring) -> Bool {
        text.contains { $0.isASCII && $0.isLetter }
            && text.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "_" }
    }
}
