import FHIRCore
import FHIRJSON
import FHIRTestSupport
import Testing

/// `ivig-fhir sample`, run as a built binary.
@Suite struct SampleCLITests {
    @Test func sameSeedGivesTheSameBytes() throws {
        let first = try CLIRunner.run(["sample", "--count", "60", "--seed", "17"])
        let second = try CLIRunner.run(["sample", "--count", "60", "--seed", "17"])
        #expect(first.exitCode == 0 && second.exitCode == 0)
        #expect(first.standardError.isEmpty)
        #expect(first.outputBytes == second.outputBytes)
        let lines = first.outputBytes.split(separator: UInt8(ascii: "\n"))
        #expect(lines.count == 60)
        for line in lines { _ = try FHIRJSONDecoder().decode(AnyResource.self, from: Array(line)) }
        let other = try CLIRunner.run(["sample", "--count", "60", "--seed", "18"])
        #expect(other.outputBytes != first.outputBytes)
    }

    @Test func xmlSamplesConvertBackToTheSameJSON() throws {
        let xml = try CLIRunner.run(["sample", "--count", "1", "--seed", "4", "--to", "xml"])
        #expect(xml.exitCode == 0)
        #expect(
            xml.standardOutput.hasPrefix(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Bundle xmlns=\"http://hl7.org/fhir\">"))
        let converted = try CLIRunner.run(["convert", "--to", "json", "-"], input: xml.outputBytes)
        #expect(converted.exitCode == 0)
        let json = try CLIRunner.run(["sample", "--count", "1", "--seed", "4", "--to", "json"])
        let difference = try JSONTree.parse(converted.outputBytes).firstDifference(
            from: JSONTree.parse(json.outputBytes))
        #expect(difference == nil)
    }

    @Test func aNegativeCountIsAUsageError() throws {
        let result = try CLIRunner.run(["sample", "--count=-3"])
        #expect(result.exitCode == 64)
        #expect(result.standardError.contains("--count must be 0 or more"))
    }
}
