import FHIRBatch
import FHIRCore
import FHIRTestSupport
import Foundation
import Testing

/// The library's messages name its own settings and limits; a tool that runs it names its
/// options instead (``SettingNames``), in the messages and in the rejects.
@Suite struct SettingNamesTests {
    static let optionNames = SettingNames(
        name: { setting in
            switch setting {
            case .to(let format?): "--to \(format)"
            case .bundle: "--bundle"
            default: "--other"
            }
        },
        limitAdvice: { "raise it with --\($0.rawValue)" })

    @Test func aUsageErrorNamesTheConfigurationOrTheToolsOptions() throws {
        let folder = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("a.json")
        try #"{"resourceType":"Patient","id":"a"}"#.write(to: input, atomically: true, encoding: .utf8)
        let (report, messages) = BatchConverterTests.run {
            $0.inputs = [input.path]
            $0.to = "ndjson"
            $0.bundle = true
        }
        #expect(report.status == .usage)
        #expect(
            messages
                == "error: `bundle` gathers resources into one document; it needs `to: json` or `to: xml`, not"
                + " `to: ndjson`\n")
        let (_, named) = BatchConverterTests.run {
            $0.inputs = [input.path]
            $0.to = "ndjson"
            $0.bundle = true
            $0.names = Self.optionNames
        }
        #expect(
            named
                == "error: --bundle gathers resources into one document; it needs --to json or --to xml, not"
                + " --to ndjson\n")
    }

    @Test func aLimitIsNamedWithItsValueAndTheToolsAdviceInMessagesAndRejects() throws {
        let folder = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("in.ndjson")
        try #"{"resourceType":"Patient","id":"a","name":[{"given":["A"]}]}"#.write(
            to: input, atomically: true, encoding: .utf8)
        for names in [SettingNames.configuration, Self.optionNames] {
            let rejects = folder.appendingPathComponent("rejects.ndjson")
            let (report, messages) = BatchConverterTests.run {
                $0.inputs = [input.path]
                $0.to = "ndjson"
                $0.output = .file(folder.appendingPathComponent("out.ndjson").path)
                $0.rejectsPath = rejects.path
                $0.limits.maxDepth = 2
                $0.formats = .standard(limits: $0.limits)
                $0.names = names
            }
            #expect(report.rejected == 1)
            let advised = names.limitAdvice(.maxDepth).map { "; " + $0 } ?? ""
            let expected = "(limit maxDepth = 2\(advised))"
            #expect(messages.contains(expected), "\(messages)")
            let message = try BatchConverterTests.rejects(rejects).first?["message"] as? String
            #expect(message?.hasSuffix(expected) == true, "\(message ?? "")")
        }
    }
}
