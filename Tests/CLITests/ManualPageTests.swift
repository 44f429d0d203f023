import FHIRTestSupport
import Foundation
import Testing

/// What the man page that swift-argument-parser's `generate-manual` plugin writes must hold: an
/// entry for every subcommand the binary has, nested ones (`units check`) included, so a page
/// written from an older binary, or a subcommand the generator dropped, fails.
enum ManualPage {
    /// The subcommands of `tool`, as its `--experimental-dump-help` describes them: every level
    /// below the root, in order.
    static func subcommands(of tool: URL, in directory: URL, environment: [String: String]? = nil) throws -> [String] {
        let dump = try ProcessRun.run(
            tool, ["--experimental-dump-help"], in: directory, environment: environment)
        guard dump.exitCode == 0,
            let help = try JSONSerialization.jsonObject(with: Data(dump.outputBytes)) as? [String: Any],
            let root = help["command"] as? [String: Any]
        else { throw ManualPageError("\(tool.path) --experimental-dump-help failed: \(dump.standardError)") }
        func names(_ command: [String: Any]) -> [String] {
            (command["subcommands"] as? [[String: Any]] ?? []).flatMap { subcommand in
                [subcommand["commandName"] as? String ?? "?"] + names(subcommand)
            }
        }
        return names(root)
    }

    /// The subcommands of `tool` that `page` (mdoc, one page) has no entry (`.It Em NAME`) for;
    /// a name used twice (`convert` and `units convert`) needs two entries.
    static func missingSubcommands(
        page: String, tool: URL, in directory: URL, environment: [String: String]? = nil
    ) throws -> [String] {
        var entries: [String: Int] = [:]
        for line in page.split(separator: "\n") where line.hasPrefix(".It Em ") {
            if let name = line.dropFirst(".It Em ".count).split(separator: ",").first {
                entries[String(name), default: 0] += 1
            }
        }
        return try subcommands(of: tool, in: directory, environment: environment).filter { name in
            entries[name, default: 0] -= 1
            return entries[name, default: 0] < 0
        }
    }
}

struct ManualPageError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The man page `.ci/run` generates with `swift package generate-manual --configuration debug`
/// (its path in `IVIG_MANUAL_PAGE`), against the debug binary the other tests run. Without the
/// variable (a plain `swift test`) it skips: the plugin cannot run inside `swift test`, which
/// holds the build folder's lock.
@Suite struct ManualPageTests {
    static let page = ProcessInfo.processInfo.environment["IVIG_MANUAL_PAGE"]

    @Test(
        .enabled(
            if: ManualPageTests.page != nil,
            "skipped: set IVIG_MANUAL_PAGE to a page from `swift package generate-manual` (.ci/run does)"))
    func thePageNamesEverySubcommand() throws {
        let path = try #require(Self.page)
        let page = try String(contentsOfFile: path, encoding: .utf8)
        #expect(page.contains(".Dt IVIG-FHIR 1"), "not an mdoc page for ivig-fhir(1): \(path)")
        #expect(page.contains(".Nm ivig-fhir"))
        let tool = try CLIRunner.executable()
        let subcommands = try ManualPage.subcommands(of: tool, in: SharedCorpus.packageRoot)
        // The dump itself is checked too, so an empty one cannot make the page pass.
        for expected in ["convert", "validate", "units", "check", "sample", "fhirpath", "report", "serve"] {
            #expect(subcommands.contains(expected), "the binary has no \(expected) subcommand")
        }
        let missing = try ManualPage.missingSubcommands(page: page, tool: tool, in: SharedCorpus.packageRoot)
        #expect(missing.isEmpty, "\(path) has no entry for \(missing)")
    }
}
