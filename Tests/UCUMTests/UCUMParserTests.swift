import ExactArithmetic
import Testing
import UCUM

@Suite struct UCUMParserErrorTests {
    @Test(arguments: [
        ("m/", 3, "ucum-syntax", "invalid UCUM unit 'm/' at column 3: expected a unit after '/'"),
        (
            "mg/12h", 4, "ucum-unknown-unit",
            "invalid UCUM unit 'mg/12h' at column 4: '12h' is not a unit; join a number to a unit with '.' (write 12.h)"
        ),
        (
            "iU", 1, "ucum-unknown-unit",
            "invalid UCUM unit 'iU' at column 1: 'iU' is not a UCUM unit; did you mean '[iU]'?"
        ),
        (
            "mL/hr", 4, "ucum-unknown-unit",
            "invalid UCUM unit 'mL/hr' at column 4: 'hr' is not a UCUM unit; did you mean 'h'?"
        ),
        ("molv", 1, "ucum-unknown-unit", "invalid UCUM unit 'molv' at column 1: 'molv' is not a UCUM unit"),
        (
            "KG", 1, "ucum-unknown-unit",
            "invalid UCUM unit 'KG' at column 1: 'KG' is not a UCUM unit; UCUM codes are case-sensitive: did you mean 'kg'?"
        ),
        (
            "k[in_i]", 1, "ucum-unknown-unit",
            "invalid UCUM unit 'k[in_i]' at column 1: 'k[in_i]': the prefix 'k' (kilo) cannot be used with '[in_i]' (inch), which is not a metric unit"
        ),
        ("mg kg", 3, "ucum-syntax", "invalid UCUM unit 'mg kg' at column 3: a space cannot appear in a UCUM unit"),
        (
            "µg", 1, "ucum-syntax",
            "invalid UCUM unit 'µg' at column 1: a non-ASCII character; UCUM codes are ASCII (write 'u' for micro)"
        ),
        ("mmol/(8.h", 6, "ucum-syntax", "invalid UCUM unit 'mmol/(8.h' at column 6: '(' is not closed with ')'"),
        ("mmol/8.h)", 9, "ucum-syntax", "invalid UCUM unit 'mmol/8.h)' at column 9: ')' without a matching '('"),
        (
            "ug(8.h)", 3, "ucum-syntax",
            "invalid UCUM unit 'ug(8.h)' at column 3: expected '.' or '/' before '('; units are joined with '.' (times) or '/' (per)"
        ),
        (
            "{a}rad2{b}", 4, "ucum-syntax",
            "invalid UCUM unit '{a}rad2{b}' at column 4: expected '.' or '/' before 'rad'; units are joined with '.' (times) or '/' (per)"
        ),
        (
            "rad2{錠}", 6, "ucum-invalid-annotation",
            "invalid UCUM unit 'rad2{錠}' at column 6: an annotation may only hold printable ASCII characters (no spaces, no non-ASCII)"
        ),
        (
            "g{tot", 2, "ucum-invalid-annotation",
            "invalid UCUM unit 'g{tot' at column 2: annotation '{' is not closed with '}'"
        ),
        ("[lb_av", 1, "ucum-syntax", "invalid UCUM unit '[lb_av' at column 1: '[' is not closed with ']'"),
        (
            "10+3/ul", 1, "ucum-unknown-unit",
            "invalid UCUM unit '10+3/ul' at column 1: '10' is a number, not a unit; write a power of ten as 10*+3 "
        ),
        (
            "m-", 2, "ucum-syntax",
            "invalid UCUM unit 'm-' at column 2: '-' must be followed by the digits of an exponent"
        ),
        ("m.", 3, "ucum-syntax", "invalid UCUM unit 'm.' at column 3: expected a unit after '.'"),
        (
            "m//s", 3, "ucum-syntax",
            "invalid UCUM unit 'm//s' at column 3: expected a unit, a number or '(' after '/', found '/'"
        ),
    ])
    func reportsWhatWhereAndWhy(code: String, column: Int, rule: String, message: String) {
        guard let error = UCUM.validate(code) else {
            Issue.record("'\(code)' was accepted")
            return
        }
        #expect(error.column == column)
        #expect(error.code.description == rule)
        #expect(error.description == message)
        #expect(error.snippet == code + "\n" + String(repeating: " ", count: column - 1) + "^")
    }

    @Test(arguments: [
        "mg", "ug", "dL", "m2", "s-1", "mL/kg/h", "/(12.h)", "mg/(12.h)", "{tbl}", "10*3{copies}/mL",
        "[lb_av]", "[in_i]", "[IU]", "Cel", "[degF]", "[pH]", "%", "dB[10.nV]", "10*+3/ul", "kg{body_wt}",
        "[m/s2/Hz^(1/2)]", "cal_[15]", "mL/{hb}.m2", "m[H2O]", "''", "ug/(kg.min)", "",
    ])
    func acceptsValidExpressions(code: String) {
        #expect(UCUM.validate(code) == nil, "\(code): \(UCUM.validate(code).map { "\($0)" } ?? "")")
    }

    @Test func codesAreCaseSensitive() throws {
        // `Pa` is pascal, `PA` petaampere, `pA` picoampere; `MG` is megagauss, not milligram.
        #expect(try UCUM.displayName("Pa") == "(pascal)")
        #expect(try UCUM.displayName("PA") == "(petaampère)")
        #expect(try UCUM.displayName("pA") == "(picoampère)")
        #expect(try UCUM.displayName("MG") == "(megaGauss)")
    }
}

@Suite struct UCUMReductionTests {
    @Test func reducesToBaseUnits() throws {
        #expect(try UCUM.parse("mL/kg/h").dimension.baseUnitExpression == "m3.s-1.g-1")
        #expect(try UCUM.parse("N").dimension.baseUnitExpression == "m.s-2.g")
        #expect(try UCUM.parse("%").dimension.isDimensionless)
        #expect(try UCUM.parse("[IU]/mL").dimension.baseUnitExpression == "m-3.[iU]")
        #expect(try UCUM.parse("mg").canonical.factor.description == "1/1000")
    }

    @Test func readsDivisionLeftToRight() throws {
        // a/b/c is a/(b.c), and a/b.c is (a/b).c.
        #expect(try UCUM.isCommensurable("mg/kg/h", "mg/(kg.h)"))
        #expect(try UCUM.isCommensurable("s/m.g", "s.g/m"))
        #expect(try !UCUM.isCommensurable("s/m.g", "s/(m.g)"))
    }

    @Test func decidesCommensurability() throws {
        #expect(try UCUM.isCommensurable("mg", "[lb_av]"))
        #expect(try UCUM.isCommensurable("Cel", "[degF]"))
        #expect(try UCUM.isCommensurable("[IU]", "[iU]"))
        #expect(try !UCUM.isCommensurable("[IU]", "mg"))
        #expect(try !UCUM.isCommensurable("mL/h", "mL/kg/h"))
        #expect(throws: UCUMError.self) { try UCUM.isCommensurable("gm", "g") }
    }

    @Test func namesUnits() throws {
        #expect(try UCUM.displayName("mL/kg/h") == "(milliliter) / (kilogram) / (hour)")
        #expect(
            try UCUM.displayName("10*3{copies}/mL")
                == "(the number ten for arbitrary powers ^ 3) {copies} / (milliliter)")
        #expect(try UCUM.displayName("mg/(12.h)") == "(milligram) / (12 * (hour))")
        #expect(try UCUM.displayName("") == "(unity)")
    }
}

/// Bounds that keep crafted codes from exhausting the stack or building enormous numbers.
@Suite struct UCUMParserLimitTests {
    @Test func parenthesesNestedSixteenDeepAreRead() throws {
        let code = String(repeating: "(", count: 16) + "m" + String(repeating: ")", count: 16)
        #expect(UCUM.validate(code) == nil)
    }

    @Test func parenthesesNestedDeeperAreRefused() throws {
        let code = String(repeating: "(", count: 20) + "m" + String(repeating: ")", count: 20)
        let error = try #require(UCUM.validate(code))
        #expect(error.code == .syntax)
        #expect(error.description.contains("at column 17: parentheses nested deeper than 16 levels"))
    }

    @Test func codesLongerThan256CharactersAreRefused() throws {
        let atLimit = "g{" + String(repeating: "a", count: 252) + "}"  // 255 characters
        #expect(UCUM.validate(String(atLimit)) == nil)
        let tooLong = Array(repeating: "km9", count: 5_000).joined(separator: ".")
        let error = try #require(UCUM.validate(tooLong))
        #expect(error.description.contains("a unit code longer than 256 characters (19999) is refused"))
    }
}

/// Found by the UCUM fuzz target: a factor of zero divided by zero in a conversion.
@Suite struct UCUMZeroFactorTests {
    @Test(arguments: ["0", "0{s}", "mg/0", "00.g", "(0)"])
    func zeroFactorsAreRefused(_ code: String) throws {
        let error = try #require(UCUM.validate(code))
        #expect(error.description.contains("is zero; a unit factor must be a positive number"), "\(error)")
        #expect(throws: UCUMError.self) { try UCUM.convert("1", from: code, to: code) }
    }

    @Test func otherFactorsStay() throws {
        #expect(UCUM.validate("10.g") == nil)
        #expect(try UCUM.convert("1", from: "10.g", to: "g").value.description == "10")
    }
}

/// Found by the UCUM fuzz target: `u929` (10^-5574) took 30 seconds to convert to itself.
@Suite struct UCUMExponentSumTests {
    @Test(arguments: ["10*23/mol", "m3/s2", "10*-12.mol/L", "g.m-2.s-1"])
    func realUnitsStay(_ code: String) { #expect(UCUM.validate(code) == nil) }

    @Test(arguments: [("u929", 1), ("10*61", 1), ("m30.s31", 5), ("(m20.s20).g21", 11)])
    func largeExponentSumsAreRefused(_ code: String, _ column: Int) throws {
        let error = try #require(UCUM.validate(code))
        #expect(error.description.contains("at column \(column): the exponents add up to more than 60"), "\(error)")
    }
}
