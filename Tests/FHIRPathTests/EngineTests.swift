import FHIRElementModel
import FHIRPath
import Testing

/// The engine on trees built by hand: navigation, operators, functions, errors, limits.
@Suite struct EngineTests {
    /// A Patient with two names, a birth date, an active flag and a contained Organization.
    static func patient() -> FHIRElement {
        func primitive(_ name: String, _ type: String, _ value: String) -> FHIRElement {
            FHIRElement(name: name, typeName: type, kind: .primitive, value: value)
        }
        let official = FHIRElement(
            name: "name", typeName: "HumanName", kind: .complex,
            children: [
                primitive("use", "code", "official"), primitive("family", "string", "Chalmers"),
                primitive("given", "string", "Peter"), primitive("given", "string", "James"),
            ])
        let usual = FHIRElement(
            name: "name", typeName: "HumanName", kind: .complex,
            children: [primitive("use", "code", "usual"), primitive("given", "string", "Jim")])
        let organization = FHIRElement(
            name: "contained", typeName: "Organization", kind: .resource, children: [primitive("id", "id", "org1")])
        let reference = FHIRElement(
            name: "managingOrganization", typeName: "Reference", kind: .complex,
            children: [primitive("reference", "string", "#org1")])
        let weight = FHIRElement(
            name: "extension", typeName: "Extension", kind: .complex,
            children: [
                primitive("url", "uri", "http://example.org/weight"),
                FHIRElement(
                    name: "value", typeName: "Quantity", kind: .complex,
                    children: [
                        primitive("value", "decimal", "72.50"), primitive("system", "uri", "http://unitsofmeasure.org"),
                        primitive("code", "code", "kg"),
                    ], isChoice: true),
            ])
        return FHIRElement(
            name: "Patient", typeName: "Patient", kind: .resource,
            children: [
                primitive("id", "id", "example"), organization, weight, primitive("active", "boolean", "true"),
                official, usual, primitive("birthDate", "date", "1974-12-25"), reference,
            ])
    }

    func evaluate(_ text: String, on input: FHIRElement? = patient()) throws -> [FHIRPathValue] {
        try FHIRPathExpression.parse(text).evaluate(on: input)
    }

    func texts(_ text: String) throws -> [String] { try evaluate(text).map(\.text) }

    @Test func navigatesByNameAndResourceType() throws {
        #expect(try texts("Patient.name.given") == ["Peter", "James", "Jim"])
        #expect(try texts("name.where(use = 'usual').given") == ["Jim"])
        #expect(try texts("name.given[1]") == ["James"])
        #expect(try texts("birthDate") == ["1974-12-25"])
        #expect(try texts("Patient.name.select(given.first())") == ["Peter", "Jim"])
    }

    @Test func typesFollowTheHierarchy() throws {
        #expect(try texts("Patient.is(DomainResource)") == ["true"])
        #expect(try texts("name.first().use is code") == ["true"])
        #expect(try texts("name.first().use.is(string)") == ["true"])
        #expect(try texts("name.first().use.is(System.String)") == ["false"])
        #expect(try texts("extension.value.ofType(Quantity).value") == ["72.50"])
        #expect(try texts("extension('http://example.org/weight').value > 70 'kg'") == ["true"])
        #expect(try texts("extension('http://example.org/weight').value = 72500 'g'") == ["true"])
    }

    @Test func arithmeticIsExact() throws {
        #expect(try texts("0.1 + 0.2 = 0.3") == ["true"])
        #expect(try texts("1 / 8") == ["0.125"])
        #expect(try texts("7 div 2") == ["3"])
        #expect(try texts("7.5 mod 2") == ["1.5"])
        #expect(try texts("2.0 'cm' * 2.0 'm' = 0.040 'm2'") == ["true"])
        #expect(try texts("(1.2 / 1.8).round(2)") == ["0.67"])
    }

    @Test func datesKeepTheirPrecision() throws {
        #expect(try texts("@2012 < @2012-01").isEmpty)
        #expect(try texts("@2012-01 < @2013") == ["true"])
        #expect(try texts("@2012-04-15T15:00:00Z = @2012-04-15T10:00:00-05:00") == ["true"])
        #expect(try texts("@1973-12-25 + 7 days") == ["1974-01-01"])
        #expect(try texts("birthDate < @1980-01-01") == ["true"])
        #expect(throws: FHIRPathError.self) { try evaluate("@1973-12-25 + 1 'mo'") }
    }

    @Test func logicIsThreeValued() throws {
        #expect(try texts("{} and false") == ["false"])
        #expect(try texts("{} and true").isEmpty)
        #expect(try texts("{} or true") == ["true"])
        #expect(try texts("false implies {}") == ["true"])
        #expect(try texts("true xor false") == ["true"])
    }

    @Test func stringsAndRegex() throws {
        #expect(try texts("'abcdef'.substring(2, 3)") == ["cde"])
        #expect(try texts("'N8000123123'.matches('^N[0-9]{8}')") == ["true"])
        #expect(
            try texts(
                "'11/30/1972'.replaceMatches('\\\\b(?<month>\\\\d{1,2})/(?<day>\\\\d{1,2})/(?<year>\\\\d{2,4})\\\\b', '$3-$1-$2')"
            )
                == ["1972-11-30"])
        #expect(try texts("'a,b,,c'.split(',').count()") == ["4"])
        // A pattern whose backtracking could take exponential time is refused, not run.
        #expect(throws: FHIRPathError.self) { try evaluate("'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'.matches('(a+)+$')") }
    }

    @Test func resolvesContainedReferences() throws {
        #expect(try texts("managingOrganization.resolve().id") == ["org1"])
        #expect(try texts("managingOrganization.resolve() is Organization") == ["true"])
    }

    @Test func constantsAndVariables() throws {
        #expect(try texts("%ucum") == ["http://unitsofmeasure.org"])
        #expect(try texts("%vs-administrative-gender") == ["http://hl7.org/fhir/ValueSet/administrative-gender"])
        #expect(try texts("name.given.first().select(%resource.id)") == ["example"])
        #expect(try texts("defineVariable('n', name.count()).select(%n + 1)") == ["3"])
    }

    @Test func parseErrorsPointAtTheColumn() {
        do {
            _ = try FHIRPathExpression.parse("name.given + ")
            Issue.record("expected a syntax error")
        } catch {
            #expect(error.stage == .syntax)
            #expect(error.column == 14)
            #expect(error.description.contains("^"))
        }
        do {
            _ = try FHIRPathExpression.parse("name.frobnicate()")
            Issue.record("expected an unknown function")
        } catch {
            #expect(error.stage == .semantic)
            #expect(error.message.contains("frobnicate"))
            #expect(error.column == 6)
        }
        #expect(throws: FHIRPathError.self) { try FHIRPathExpression.parse("name.substring()") }
        #expect(throws: FHIRPathError.self) { try FHIRPathExpression.parse("'unclosed") }
    }

    @Test func hostileExpressionsHitLimits() throws {
        let deep = String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)
        #expect(throws: FHIRPathError.self) { try FHIRPathExpression.parse(deep) }
        // Each step doubles the collection; the size limit stops it.
        var environment = FHIRPathEnvironment()
        environment.maximumCollectionSize = 10_000
        let explosive = "descendants()" + String(repeating: ".combine(descendants())", count: 40)
        #expect(throws: FHIRPathError.self) {
            try FHIRPathExpression.parse("(" + explosive + ").select(" + explosive + ")")
                .evaluate(on: Self.patient(), environment: environment)
        }
    }

    /// Exact decimals would otherwise grow without end: each step of these doubles the digits
    /// or moves the power of ten, and a `repeat` keeps going while the values are new.
    @Test(arguments: [
        "(2.0).repeat($this * $this)", "(3).repeat($this / 2)", "(3 'mg').repeat($this / 2)",
        "(1.1).power(4000)",
        "123456789012345678901234567890123456789012345678901234567890.0 * 98765432109876543210987654321098765432109876543210.0",
    ])
    func runawayDecimalsAreAnOverflowError(expression: String) throws {
        let error = #expect(throws: FHIRPathError.self) { try evaluate(expression) }
        #expect(error?.message.contains("decimal overflow") == true, "\(String(describing: error))")
    }

    @Test func decimalsWellInsideTheBoundsStayExact() throws {
        // 11^40 has 42 digits, all kept: 45.259…, 43 characters with the point.
        #expect(try texts("(1.1).power(40).toString().length()") == ["43"])
        let tiny = "0." + String(repeating: "0", count: 29) + "1"
        let huge = "1" + String(repeating: "0", count: 30) + ".0"
        #expect(try texts("\(tiny) * \(huge)") == ["1." + String(repeating: "0", count: 31)])
    }

    /// R4's txt-1 on narrative texts: a `div`, and no scripts, active elements, event handlers
    /// or `javascript:` links, in any letter case.
    @Test(arguments: [
        ("<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Dose 2 g/kg over 5 days</p></div>", true),
        ("<DIV><B>bold</B></DIV>", true),
        ("<div>the infusion went on = plan; moon=1; <scripture/> script</div>", true),
        ("<p>no div at all</p>", false),
        ("<div><script>alert(1)</script></div>", false),
        ("<div><SCRIPT >alert(1)</SCRIPT></div>", false),
        ("<div><iframe/></div>", false),
        ("<div><form\n action=\"x\"></form></div>", false),
        ("<div><object", false),
        ("<div onclick=\"steal()\">x</div>", false),
        ("<div><p OnMouseOver=\"x\">y</p></div>", false),
        ("<div><a href=\"JavaScript:alert(1)\">x</a></div>", false),
    ])
    func htmlChecksAcceptsOnlySafeNarrative(narrative: String, acceptable: Bool) throws {
        let literal = narrative.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\\n")
        #expect(try texts("'\(literal)'.htmlChecks()") == ["\(acceptable)"])
    }

    @Test func membershipNeedsTerminologyOrSaysItCannot() throws {
        do {
            _ = try FHIRPathExpression.parse("name.use.memberOf('http://hl7.org/fhir/ValueSet/name-use')")
                .evaluate(on: Self.patient())
            Issue.record("expected cannot-evaluate")
        } catch {
            #expect(error.stage == .cannotEvaluate)
        }
        struct Terminology: FHIRPathTerminology {
            func memberOf(_ item: FHIRPathValue, valueSet: String) -> FHIRPathTerminologyAnswer {
                item.text == "official" ? .yes : .no
            }
            func conformsTo(_ resource: FHIRElement, profile: String) -> FHIRPathTerminologyAnswer {
                .unknown("profile \(profile) is not loaded")
            }
        }
        let environment = FHIRPathEnvironment(terminology: Terminology())
        let result = try FHIRPathExpression.parse("name.use.memberOf('http://hl7.org/fhir/ValueSet/name-use')")
            .evaluate(on: Self.patient(), environment: environment)
        #expect(result.map(\.text) == ["true", "false"])
        #expect(throws: FHIRPathError.self) {
            try FHIRPathExpression.parse("conformsTo('http://example.org/p')").evaluate(
                on: Self.patient(), environment: environment)
        }
    }

    @Test func parsedExpressionsAreCached() throws {
        let first = try FHIRPathExpression.parse("name.given.count()")
        let second = try FHIRPathExpression.parse("name.given.count()")
        #expect(first === second)
    }
}
