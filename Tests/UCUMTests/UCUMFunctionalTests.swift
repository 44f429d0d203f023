import ExactArithmetic
import FHIRTestSupport
import Testing
import UCUM

/// Runs every case of UCUM's functional test suite (`../shared/corpus/ucum/UcumFunctionalTests.xml`)
/// through the public API and prints `UCUM functional tests: N passed, M failed` per section.
@Suite struct UCUMFunctionalTests {
    /// Cases that are known to be wrong or ambiguous in the official file, with the reason.
    /// They are reported, not counted as failures; one that starts passing fails the run, so
    /// this list cannot go stale.
    static let knownIssues: [String: String] = [:]

    @Test func everyCaseOfTheOfficialSuite() throws {
        guard let file = try UCUMFunctionalTestFile.load() else {
            print(SharedCorpus.absentMessage)
            return
        }
        // The file has 575 `<case` elements; 2 of them (1-103 and 3-130) are inside XML comments,
        // so 573 are live.
        #expect(file.cases.count >= 573, "expected the 573 live cases of UcumFunctionalTests.xml")
        var failures: [String] = []
        for section in file.sections {
            var passed = 0
            var failed = 0
            for testCase in file.cases where testCase.section == section {
                let problem = Self.run(testCase)
                let key = "\(section) \(testCase.id)"
                if let reason = Self.knownIssues[key] {
                    if problem == nil {
                        failures.append("\(testCase): listed as a known issue but passes; remove it from the list")
                        failed += 1
                    } else {
                        print("known issue, not counted: \(testCase): \(reason)")
                    }
                    continue
                }
                if let problem {
                    failed += 1
                    failures.append("\(testCase): \(problem)")
                } else {
                    passed += 1
                }
            }
            print("UCUM functional tests: \(passed) passed, \(failed) failed [\(section)]")
        }
        for failure in failures {
            Issue.record(Comment(rawValue: failure))
        }
    }

    /// `nil` when the case passes, else what went wrong.
    static func run(_ c: UCUMFunctionalCase) -> String? {
        switch c.section {
        case "validation":
            let error = UCUM.validate(c["unit"])
            let expected = c["valid"] == "true"
            if expected, let error { return "expected valid, got: \(error)" }
            if !expected, error == nil { return "expected invalid (\(c["reason"])), but it was accepted" }
            return nil
        case "displayNameGeneration":
            do {
                let name = try UCUM.displayName(c["unit"])
                return name == c["display"] ? nil : "display name was '\(name)'"
            } catch {
                return "error: \(error)"
            }
        case "conversion":
            do {
                let result = try UCUM.convert(c["value"], from: c["srcUnit"], to: c["dstUnit"])
                return agree(result.value, c["outcome"])
            } catch {
                return "error: \(error)"
            }
        case "multiplication", "division":
            do {
                let a = UCUMQuantity(value: try ExactDecimal(parsing: c["v1"]), unit: c["u1"])
                let b = UCUMQuantity(value: try ExactDecimal(parsing: c["v2"]), unit: c["u2"])
                let result = c.section == "multiplication" ? try UCUM.multiply(a, b) : try UCUM.divide(a, b)
                // The file: the result "must convert to the stated value" in the stated unit.
                let converted = try UCUM.convert(result.value, from: result.unit, to: c["uRes"])
                if let problem = agree(converted.value, c["vRes"]) { return "result \(result): \(problem)" }
                return nil
            } catch {
                return "error: \(error)"
            }
        default:
            return "section '\(c.section)' is not supported by this runner"
        }
    }

    /// Whether `value` equals `expected` to the expected value's last written digit (the file:
    /// "the outcome is also not necessarily fixed to the given representation"; the [mu_0]
    /// results are written to 24 significant digits, ours are exact).
    static func agree(_ value: ExactDecimal, _ expected: String) -> String? {
        guard let target = ExactDecimal(expected) else { return "the expected value '\(expected)' is not a decimal" }
        let rounded = value.rounded(toExponent: target.exponent, rounding: .toNearestOrAwayFromZero)
        return rounded == target ? nil : "got \(value), expected \(expected)"
    }
}
