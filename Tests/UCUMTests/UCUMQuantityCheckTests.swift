import Testing
import UCUM

@Suite struct UCUMQuantityCheckTests {
    let ucum = "http://unitsofmeasure.org"

    @Test func aCorrectQuantityHasNoFindings() {
        #expect(UCUMQuantityCheck.check(value: "2", unit: "g/kg", system: ucum, code: "g/kg").isEmpty)
        #expect(UCUMQuantityCheck.check(value: "70.5", unit: "kilogram", system: ucum, code: "kg").isEmpty)
        #expect(UCUMQuantityCheck.check(value: "100", unit: "ml", system: ucum, code: "mL").isEmpty)
        #expect(UCUMQuantityCheck.check(value: "100", unit: "mcg", system: ucum, code: "ug").isEmpty)
        #expect(UCUMQuantityCheck.check(value: "1", unit: "mL/hr", system: ucum, code: "mL/h").isEmpty)
    }

    @Test func aCodeNeedsTheUCUMSystem() {
        let missing = UCUMQuantityCheck.check(value: "2", unit: nil, system: nil, code: "g")
        #expect(missing.map(\.ruleID) == ["ucum-quantity-system"])
        #expect(missing.first?.message == "code 'g' needs system 'http://unitsofmeasure.org', but system is missing")
        let other = UCUMQuantityCheck.check(value: "2", unit: nil, system: "http://snomed.info/sct", code: "g")
        #expect(other.first?.message == "code 'g' needs system 'http://unitsofmeasure.org', but system is 'http://snomed.info/sct'")
        #expect(other.first?.severity == .error)
    }

    @Test(arguments: [
        ("gm", "g"), ("hr", "h"), ("mls", "mL"), ("lbs", "[lb_av]"), ("mcg", "ug"),
        ("mg/kg/hr", "mg/kg/h"), ("mcg/kg/min", "ug/kg/min"), ("mL/hr", "mL/h"), ("IU/kg", "[IU]/kg"),
    ])
    func humanSpellingsInTheCodeAreReportedWithTheCodeMeant(code: String, meant: String) {
        let findings = UCUMQuantityCheck.check(value: "1", unit: nil, system: ucum, code: code)
        #expect(findings.count == 1)
        #expect(findings.first?.ruleID == "ucum-quantity-human-spelling")
        #expect(findings.first?.severity == .error)
        #expect(findings.first?.element == "code")
        #expect(findings.first?.suggestedCode == meant)
        #expect(findings.first?.message.hasSuffix("the UCUM code is probably '\(meant)'") == true)
    }

    @Test func humanSpellingMessageSaysWhy() {
        let finding = UCUMQuantityCheck.check(value: "1", unit: nil, system: ucum, code: "mg/hr").first
        #expect(finding?.message == "code 'mg/hr' is not UCUM ('hr' is not a UCUM unit; did you mean 'h'?); the UCUM code is probably 'mg/h'")
    }

    @Test func unitTextWithoutACodeIsAWarningWithTheCode() {
        let findings = UCUMQuantityCheck.check(value: "154", unit: "lbs", system: nil, code: nil)
        #expect(findings.count == 1)
        #expect(findings.first?.severity == .warning)
        #expect(findings.first?.suggestedCode == "[lb_av]")
        #expect(findings.first?.message
            == "unit 'lbs' is not a UCUM code; the UCUM code is probably '[lb_av]' (give it in code, with system http://unitsofmeasure.org)")
    }

    @Test func anInvalidCodeSaysWhereAndWhy() {
        let findings = UCUMQuantityCheck.check(value: "1", unit: nil, system: ucum, code: "mg/12h")
        #expect(findings.map(\.ruleID) == ["ucum-quantity-code"])
        #expect(findings.first?.message
            == "invalid UCUM unit 'mg/12h' at column 4: '12h' is not a unit; join a number to a unit with '.' (write 12.h)")
    }

    @Test func unitTextThatDisagreesIsAWarning() {
        let findings = UCUMQuantityCheck.check(value: "400", unit: "mg/kg", system: ucum, code: "g/kg")
        #expect(findings.count == 1)
        #expect(findings.first?.ruleID == "ucum-quantity-unit-mismatch")
        #expect(findings.first?.severity == .warning)
        #expect(findings.first?.message == "unit text 'mg/kg' does not name the same unit as code 'g/kg' (gram) / (kilogram)")
        let rate = UCUMQuantityCheck.check(value: "1", unit: "mL/h", system: ucum, code: "mL/kg/h")
        #expect(rate.map(\.ruleID) == ["ucum-quantity-unit-mismatch"])
    }

    /// Unit text is for people: spellings, print symbols and words UCUM reads as annotations
    /// agree with the code; text naming another unit does not.
    @Test(arguments: [
        ("points", "{score}"),  // an annotation is free text
        ("mL/min/1.73m2", "mL/min/{1.73_m2}"),
        ("C", "Cel"), ("F", "[degF]"),  // °C and °F without the degree sign
        ("degrees C", "Cel"), ("yrs", "a"), ("years", "a"),
        ("beats/minute", "/min"), ("breaths/minute", "/min"),  // {beats}/min
        ("% (sample/positive control)", "%"),
        ("g/cm²", "g/cm2"),
        // US Core's examples: `per` divides, a word is an annotation, `%O2` is `%{O2}`
        ("minutes per day", "min/d"), ("breaths per minute", "/min"), ("T-Score", "1"), ("%O2", "%"),
        ("mg elemental", "mg"),
    ])
    func unitTextThatNamesTheSameUnitAgrees(text: String, code: String) {
        #expect(UCUMQuantityCheck.check(value: "1", unit: text, system: ucum, code: code).isEmpty)
    }

    @Test(arguments: [
        ("mg", "g"), ("C", "K"), ("mg", "{score}"), ("beats", "/min"), ("g/cm²", "g/cm-2"), ("yrs", "mo"), ("kg", "[lb_av]"),
        ("minutes per hour", "min/d"), ("breaths per second", "/min"), ("mg", "1"), ("%", "1"), ("%O2", "g"),
        ("T-Score", "%"), ("mg per day", "min/d"),
    ])
    func unitTextThatNamesAnotherUnitIsStillAWarning(text: String, code: String) {
        #expect(UCUMQuantityCheck.check(value: "1", unit: text, system: ucum, code: code).map(\.ruleID) == ["ucum-quantity-unit-mismatch"])
    }

    @Test func aValueThatIsNotADecimalIsAnError() {
        let findings = UCUMQuantityCheck.check(value: "1,5", unit: "g", system: ucum, code: "g")
        #expect(findings.map(\.description) == ["error [ucum-quantity-value] value: value '1,5' is not a decimal number"])
    }

    @Test func suggestionsAreNeverMadeForValidCodes() {
        #expect(UCUMHumanSpellings.suggestion(for: "mg") == nil)
        #expect(UCUMHumanSpellings.suggestion(for: "min") == nil)
        #expect(UCUMHumanSpellings.suggestion(for: "zzz") == nil)
    }
}
