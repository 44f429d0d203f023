import FHIRTestSupport
import Foundation
import Testing

/// Messages quote the input. Control characters in it (an escape sequence, say) must reach
/// neither a terminal raw nor an XML report, where they cannot be written at all.
@Suite struct HostileTextCLITests {
    /// A birth date holding ESC [2J (clear the screen) and U+0001, then a good record.
    static let input = #"{"resourceType":"Patient","birthDate":"19\u001b[2J\u000170"}"# + "\n" + #"{"resourceType":"Patient","id":"a"}"# + "\n"

    static func hasControlCharacter(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }
    }

    @Test func convertShowsControlCharactersEscapedAndKeepsThemInTheRejects() throws {
        let folder = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let rejects = folder.appendingPathComponent("rejects.ndjson")
        let result = try CLIRunner.run(["convert", "--to", "ndjson", "--rejects", rejects.path, "-"], input: Array(Self.input.utf8))
        #expect(result.exitCode == 1)
        #expect(!Self.hasControlCharacter(result.standardError))
        #expect(result.standardError.contains(#"'19\u{1B}[2J\u{1}70' is not a valid FHIR date"#), "\(result.standardError)")
        let reject = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: rejects)) as? [String: Any])
        #expect((reject["message"] as? String)?.contains("'19\u{1B}[2J\u{01}70'") == true)  // exact, for software
    }

    @Test(arguments: ["text", "json", "xml"])
    func validateWritesItsReportWithControlCharactersEscaped(_ format: String) throws {
        let result = try CLIRunner.run(["validate", "--format", format, "-"], input: Array(Self.input.utf8))
        #expect(result.exitCode == 2, "\(result.standardError)")
        #expect(!Self.hasControlCharacter(result.standardOutput))
        let quoted = format == "json" ? #"'19\\u{1B}[2J\\u{1}70'"# : #"'19\u{1B}[2J\u{1}70'"#
        #expect(result.standardOutput.contains(quoted), "\(result.standardOutput)")
        #expect(result.standardError.hasPrefix("summary: 1 input, 2 records read, 1 checked, 1 unreadable; 1 error"))
    }
}
