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

    /// Whether the human-readable text names the same unit as the code: an equivalent UCUM
    /// code (`ml` for `mL`), a human spelling of it (`mcg` for `ug`), or its name or print symbol
    /// (`milligram`, `µg`).
    static func agrees(unitText: String, with code: UCUMUnit) -> Bool {
        let text = String(unitText.trimmingSpaces)
        let candidates = [text, UCUMHumanSpellings.suggestion(for: text)].compactMap { $0 }
        for candidate in candidates {
            if let other = try? UCUMUnit(candidate), other.canonical == code.canonical,
                other.containsSpecialUnit == code.containsSpecialUnit
            {
                return true
            }
        }
        if code.term.components.count == 1, case .unit(let prefix, let atom, 1)? = code.term.components.first?.kind {
            let name = (prefix?.name ?? "") + atom.name
            let symbol = (prefix.map { UCUMTable.prefixDefinitions.first { $0.code == prefix?.code }?.printSymbol ?? $0.code } ?? "")
                + atom.printSymbol
            let lowered = text.lowercased()
            return lowered == name.lowercased() || lowered == name.lowercased() + "s" || text == symbol
        }
        return false
    }
}
