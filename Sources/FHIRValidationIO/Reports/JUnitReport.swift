import FHIRCore
import FHIRValidation

/// Findings as JUnit XML, which every CI shows as test results: a test suite per input, a test
/// case per record (named by its line and `Type/id`), failing when it has an error (or a fatal
/// finding), with its warnings and information in `system-out`.
///
/// A suite's opening tag carries its counts, so one input's test cases are held until the next
/// input starts (or the report ends); the rest streams.
public struct JUnitReport: FindingsRenderer {
    public var rendersRecordsWithoutFindings: Bool { true }

    private var suite: Suite?

    private struct Suite {
        var file: String
        var tests = 0
        var failures = 0
        var cases = ""
    }

    /// A JUnit report.
    public init() {}

    public mutating func start(inputs: [String]) -> [UInt8] {
        Array(#"<?xml version="1.0" encoding="UTF-8"?>\#n<testsuites name="ivig-fhir validate">\#n"#.utf8)
    }

    public mutating func render(_ record: RecordFindings) -> [UInt8] {
        var closed: [UInt8] = []
        if suite?.file != record.input {
            closed = closeSuite()
            suite = Suite(file: record.input)
        }
        let name: String
        if let line = record.line {
            name = "line \(line)" + (record.resource.map { ": " + $0 } ?? "")
        } else {
            name = "the input"
        }
        let errors = record.findings.filter(\.severity.isError)
        let others = record.findings.filter { !$0.severity.isError }
        var testCase =
            #"    <testcase name="\#(ReportEscaping.xml(name))" classname="\#(ReportEscaping.xml(record.input))""#
        if errors.isEmpty && others.isEmpty {
            testCase += "/>\n"
        } else {
            testCase += ">\n"
            if let first = errors.first {
                let lines = errors.map(\.description).joined(separator: "\n")
                let message = ReportEscaping.xml(first.message), rule = ReportEscaping.xml(first.ruleID)
                testCase += #"      <failure message="\#(message)" type="\#(rule)">"#
                    + ReportEscaping.xml(lines) + "</failure>\n"
            }
            if !others.isEmpty {
                testCase +=
                    "      <system-out>" + ReportEscaping.xml(others.map(\.description).joined(separator: "\n"))
                    + "</system-out>\n"
            }
            testCase += "    </testcase>\n"
        }
        suite!.tests += 1
        suite!.failures += errors.isEmpty ? 0 : 1
        suite!.cases += testCase
        return closed
    }

    public mutating func finish() -> [UInt8] {
        closeSuite() + Array("</testsuites>\n".utf8)
    }

    private mutating func closeSuite() -> [UInt8] {
        guard let suite else { return [] }
        self.suite = nil
        return Array(
            (#"  <testsuite name="\#(ReportEscaping.xml(suite.file))" tests="\#(suite.tests)" "#
                + #"failures="\#(suite.failures)" errors="0" skipped="0">\#n"# + suite.cases + "  </testsuite>\n").utf8)
    }
}
