import FHIRTestSupport
import Foundation
import Testing

/// Messages quote the input. Control characters in it (an escape sequence, say) must reach
/// neither a terminal raw nor an XML report, where they cannot be written at all.
///
/// The readers refuse control characters inside FHIR strings (JSON escapes included, since XML
/// cannot carry them), so what is left to quote is the input's name: a file named with ESC [2J
/// (clear the screen) and U+0001, holding a bad birth date and a good record.
@Suite struct HostileTextCLITests {
    static let name = "night\u{1B}[2J\u{01}export.ndjson"
    static let input =
        #"{"resourceType":"Patient","birthDate":"19xx70"}"# + "\n" + #"{"resourceType":"Patient","id":"a"}"# + "\n"

    static func hasControlCharacter(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }
    }

    static func hostileFile(in folder: URL) throws -> URL {
        let file = folder.appendingPathComponent(name)
        try Data(input.utf8).write(to: file)
        return file
    }

    @Test func convertShowsControlCharactersEscapedAndKeepsThemInTheRejects() throws {
        let folder = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Self.hostileFile(in: folder)
        let rejects = folder.appendingPathComponent("rejects.ndjson")
        let result = try CLIRunner.run(["convert", "--to", "ndjson", "--rejects", rejects.path, file.path])
        #expect(result.exitCode == 1)
        #expect(!Self.hasControlCharacter(result.standardError))
        #expect(result.standardError.contains(#"night\u{1B}[2J\u{1}export.ndjson:1:"#), "\(result.standardError)")
        #expect(result.standardError.contains("'19xx70' is not a valid FHIR date"))
        let reject = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: rejects)) as? [String: Any])
        #expect((reject["source"] as? String) == file.path)  // exact, for software
    }

    @Test(arguments: ["text", "json", "xml"])
    func validateWritesItsReportWithControlCharactersEscaped(_ format: String) throws {
        let folder = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Self.hostileFile(in: folder)
        let result = try CLIRunner.run(["validate", "--format", format, file.path])
        #expect(result.exitCode == 2, "\(result.standardError)")
        #expect(!Self.hasControlCharacter(result.standardOutput))
        #expect(!Self.hasControlCharacter(result.standardError))
        #expect(result.standardOutput.contains("'19xx70' is not a valid FHIR date"), "\(result.standardOutput)")
        #expect(
            result.standardError.hasPrefix("summary: 1 input, 2 records read, 1 checked, 1 unreadable; 1 error"),
            "\(result.standardError)")
    }
}
