import FHIRCore
import FHIRJSON
import FHIRTestSupport
import Foundation
import Testing

/// `ivig-fhir convert`, run as a built binary on real files and pipes.
@Suite struct ConvertCLITests {
    static let example = "Examples/cidp-induction-bundle.json"

    @Test func convertsTheExampleFileLosslessly() throws {
        let result = try CLIRunner.run(["convert", Self.example])
        #expect(result.exitCode == 0)
        #expect(result.standardError.isEmpty)
        let source = try [UInt8](Data(contentsOf: SharedCorpus.packageRoot.appendingPathComponent(Self.example)))
        let difference = try JSONTree.parse(source).firstDifference(from: JSONTree.parse(result.outputBytes))
        #expect(difference == nil)
        #expect(result.standardOutput.contains(#""value":72.50"#))  // the decimal's digits survive
    }

    @Test func readsStandardInputThroughAPipe() throws {
        let input = Array(#"{"resourceType":"Observation","status":"final","valueQuantity":{"value":0.40}}"#.utf8)
        let result = try CLIRunner.run(["convert", "-"], input: input)
        #expect(result.exitCode == 0)
        #expect(result.outputBytes == input)
    }

    @Test func prettyOutputForPeople() throws {
        let result = try CLIRunner.run(
            ["convert", "--pretty", "-"], input: Array(#"{"resourceType":"Patient","active":true}"#.utf8))
        #expect(result.exitCode == 0)
        #expect(result.standardOutput == "{\n  \"resourceType\": \"Patient\",\n  \"active\": true\n}\n")
    }

    @Test func badInputExitsWithTheDataErrorCodeAndACompilerStyleMessage() throws {
        let input = Array("{\"resourceType\":\"Patient\",\n  \"active\":\"yes\"}".utf8)
        let result = try CLIRunner.run(["convert", "-"], input: input)
        #expect(result.exitCode == 65)
        #expect(result.standardOutput.isEmpty)
        #expect(
            result.standardError
                == "<stdin>:2:12: error: expected a boolean (true or false) for 'active', found a string [Patient.active]\n"
        )
    }

    @Test func lenientModeWarnsForEachDroppedElement() throws {
        let input = Array(#"{"resourceType":"Patient","active":true,"colour":"blue"}"#.utf8)
        let strict = try CLIRunner.run(["convert", "-"], input: input)
        #expect(strict.exitCode == 65)
        #expect(strict.standardError.contains("error: unknown element 'colour'"))
        let lenient = try CLIRunner.run(["convert", "--lenient", "-"], input: input)
        #expect(lenient.exitCode == 0)
        #expect(lenient.standardOutput == #"{"resourceType":"Patient","active":true}"#)
        #expect(
            lenient.standardError
                == "<stdin>:1:50: warning: unknown element 'colour' was dropped (not part of this FHIR R4 type) [Patient.colour]\n"
        )
    }

    @Test func missingFileIsAnIOFailure() throws {
        let result = try CLIRunner.run(["convert", "no-such-file.json"])
        #expect(result.exitCode == 74)
        #expect(result.standardError == "no-such-file.json: error: the input does not exist\n")
    }

    @Test func unknownOptionIsAUsageError() throws {
        let result = try CLIRunner.run(["convert", "--frobnicate"])
        #expect(result.exitCode == 64)
        #expect(result.standardError.contains("Unknown option '--frobnicate'"))
    }
}

/// `convert --to xml|json`: the format of the input is detected, and JSON → XML → JSON through
/// two processes and pipes gives back the original.
@Suite struct ConvertXMLCLITests {
    @Test func jsonToXMLAndBackThroughPipes() throws {
        let xml = try CLIRunner.run(["convert", "--to", "xml", ConvertCLITests.example])
        #expect(xml.exitCode == 0)
        #expect(xml.standardError.isEmpty)
        #expect(xml.standardOutput.contains(#"<Bundle xmlns="http://hl7.org/fhir">"#))
        #expect(xml.standardOutput.contains(#"<value value="72.50"/>"#))
        #expect(
            xml.standardOutput.contains(
                #"<div xmlns="http://www.w3.org/1999/xhtml"><p>IVIG (Privigen 10%) <b>2 g/kg</b>"#))
        let json = try CLIRunner.run(["convert", "--to", "json", "-"], input: xml.outputBytes)
        #expect(json.exitCode == 0)
        let source = try [UInt8](
            Data(contentsOf: SharedCorpus.packageRoot.appendingPathComponent(ConvertCLITests.example)))
        #expect(try JSONTree.parse(source).firstDifference(from: JSONTree.parse(json.outputBytes)) == nil)
    }

    @Test func xmlErrorsCarryLineAndColumn() throws {
        let input = Array("<Patient xmlns=\"http://hl7.org/fhir\">\n  <active value=\"yes\"/>\n</Patient>".utf8)
        let result = try CLIRunner.run(["convert", "-"], input: input)
        #expect(result.exitCode == 65)
        #expect(result.standardError.hasPrefix("<stdin>:2:"))
        #expect(result.standardError.contains("[Patient.active]"))
    }

    @Test func doctypeIsRefused() throws {
        let input = Array(
            "<!DOCTYPE Patient [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Patient xmlns=\"http://hl7.org/fhir\"><id value=\"&x;\"/></Patient>"
                .utf8)
        let result = try CLIRunner.run(["convert", "-"], input: input)
        #expect(result.exitCode == 65)
        #expect(result.standardError.contains("DOCTYPE"))
        #expect(!result.standardOutput.contains("root:"))
    }

    /// Malformed XML of every kind libxml2 reports, read whole (`--to json`) or as a streamed
    /// Bundle (`--to ndjson`): libxml2's own default handler would print "parser error :" and a
    /// caret line to standard error; the tool's errors are the only lines there.
    /// (A process of its own, because the test runner itself writes to the test process's stderr.)
    static let malformedXML: [(target: String, bytes: [UInt8])] = [
        ("json", Array("<Patient xmlns=\"http://hl7.org/fhir\"><id value=\"x\"></Patient>".utf8)),
        (
            "json",
            Array(#"<?xml version="1.0"?>\#n<!DOCTYPE p [<!ENTITY a "&b;&b;"><!ENTITY b "b">]>\#n<Patient/>"#.utf8)
        ),
        (
            "json",
            Array(#"<Patient xmlns="http://hl7.org/fhir"><name><text value="&undeclared;"/></name></Patient>"#.utf8)
        ),
        (
            "json",
            Array("<Patient xmlns=\"http://hl7.org/fhir\"><name><family value=\"M".utf8) + [0xFF, 0xFE]
                + Array("\"/></name></Patient>".utf8)
        ),
        (
            "ndjson",
            Array(
                ("<Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"collection\"/>"
                    + "<entry><resource><Patient><x:id value=\"p\"/></Patient></resource></entry></Bundle>").utf8)
        ),
        ("ndjson", Array("<Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"collection\"/><entry>".utf8)),
    ]

    @Test(arguments: 0..<malformedXML.count)
    func libxml2PrintsNothingOfItsOwn(index: Int) throws {
        let input = Self.malformedXML[index]
        let result = try CLIRunner.run(["convert", "--to", input.target, "-"], input: input.bytes)
        #expect(result.exitCode == 65, "\(result.standardError)")
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.first?.hasPrefix("<stdin>:") == true, "\(result.standardError)")
        #expect(lines.allSatisfy { $0.hasPrefix("<stdin>:") || $0.hasPrefix("summary: ") }, "\(result.standardError)")
        #expect(!result.standardError.contains("parser error"), "\(result.standardError)")
    }

    @Test func neitherJSONNorXMLIsUnusableInput() throws {
        let result = try CLIRunner.run(["convert", "-"], input: Array("MRN,dose\n42,29 g\n".utf8))
        #expect(result.exitCode == 65)
        #expect(
            result.standardError
                == "<stdin>:1:1: error: the input is neither FHIR JSON (starting with '{') nor FHIR XML (starting with '<')\n"
        )
    }

    @Test func declaredFormatOverridesDetection() throws {
        let result = try CLIRunner.run(
            ["convert", "--from", "xml", "-"], input: Array(#"{"resourceType":"Patient"}"#.utf8))
        #expect(result.exitCode == 65)
        #expect(result.standardError.hasPrefix("<stdin>:1:1: error:"))
    }
}
