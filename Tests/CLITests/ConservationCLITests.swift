import FHIRCore
import FHIRJSON
import FHIRTestSupport
import FHIRXML
import Foundation
import Testing

/// Conservation over a damaged batch (issue 9): a large generated NDJSON file, a known set of its
/// records damaged in every way of ``RecordDamage/catalogue``, then `convert` and `validate` run
/// as the built binary. Record for record: every undamaged record is written, in order and equal;
/// every damaged one is rejected (or, if still valid, written) with the reason of its damage;
/// written plus rejected is what was read.
@Suite struct ConservationCLITests {
    /// Large enough that damages are spread between thousands of good records, small enough for
    /// a debug build (each run of the binary over it takes a few seconds).
    static let recordCount = 5_000
    static let sampleSeed: UInt64 = 9
    static let damageSeed: UInt64 = 2_026
    /// Options given to both `convert` and `validate` (lower reader limits, say, so that a damage
    /// can exceed one without a huge file).
    static let options = ["--max-string-bytes", "16K", "--max-record-bytes", "128K"]

    // MARK: The large batch

    @Test func convertWritesEveryGoodRecordAndRejectsEveryDamagedOneWithItsReason() throws {
        let folder = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (batch, input) = try Self.damagedBatch(in: folder, count: Self.recordCount)
        #expect(batch.damaged.count == RecordDamage.catalogue.count * 2)
        #expect(batch.damaged.first?.number == 1 && batch.damaged.last?.number == Self.recordCount)
        let output = folder.appendingPathComponent("out.ndjson"), rejects = folder.appendingPathComponent("rejects.ndjson")

        let result = try CLIRunner.run(
            ["convert"] + Self.options + ["--to", "ndjson", "--rejects", rejects.path, "--output", output.path, input.path])

        #expect(result.exitCode == 1)
        #expect(result.standardOutput.isEmpty)
        let written = try Data(contentsOf: output).split(separator: 0x0A).map { try JSONTree.parse([UInt8]($0)) }
        try Self.expectWrittenInOrder(written, batch)
        let rejected = try Self.expectRejected(try Data(contentsOf: rejects), source: input.path, batch)
        #expect(written.count + rejected == batch.lines.count)  // output plus rejects is the input
        Self.expectStandardError(result.standardError, source: input.path, batch, rejects: rejects)
    }

    @Test func convertToAnXMLBundleKeepsTheSameRecordsAndRejectsTheSameOnes() throws {
        let folder = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (batch, input) = try Self.damagedBatch(in: folder, count: Self.recordCount)
        let output = folder.appendingPathComponent("out.xml"), rejects = folder.appendingPathComponent("rejects.ndjson")

        let result = try CLIRunner.run(
            ["convert"] + Self.options + ["--to", "xml", "--bundle", "--rejects", rejects.path, "--output", output.path, input.path])

        #expect(result.exitCode == 1)
        let bundle = try FHIRXMLDecoder().decode(Bundle.self, from: [UInt8](Data(contentsOf: output)))
        let written = try bundle.entry.map { entry in try JSONTree.parse(FHIRJSONEncoder().encode(#require(entry.resource))) }
        try Self.expectWrittenInOrder(written, batch)
        let rejected = try Self.expectRejected(try Data(contentsOf: rejects), source: input.path, batch)
        #expect(written.count + rejected == batch.lines.count)  // output plus rejects is the input
        Self.expectStandardError(result.standardError, source: input.path, batch, rejects: rejects)
    }

    @Test func validateReportsEveryDamagedLineWithItsReasonAndNoGoodLineAsBroken() throws {
        let folder = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (batch, input) = try Self.damagedBatch(in: folder, count: Self.recordCount)
        try Self.expectValidateFindings([input.path], batch)
    }

    // MARK: Each damage on the first and on the last line

    /// The first line decides how the input is read, and the last may lack what follows it: a
    /// damage there must still cost only its own record. Through standard input, where only the
    /// content tells NDJSON from a JSON or XML document.
    @Test(arguments: RecordDamage.catalogue)
    func aDamageOnTheFirstOrLastLineCostsOnlyThatRecord(_ damage: RecordDamage) throws {
        let folder = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (batch, input) = try Self.damagedBatch(in: folder, count: 6, damages: [damage])
        #expect(batch.damaged.map(\.number) == [1, 6])
        let output = folder.appendingPathComponent("out.ndjson"), rejects = folder.appendingPathComponent("rejects.ndjson")

        let result = try CLIRunner.run(["convert"] + Self.options + ["--to", "ndjson", "--rejects", rejects.path, "--output", output.path, "-"],
                                       input: batch.bytes)

        #expect(result.exitCode == (damage.isRejected ? 1 : 0), "\(result.standardError)")
        let written = try Data(contentsOf: output).split(separator: 0x0A).map { try JSONTree.parse([UInt8]($0)) }
        try Self.expectWrittenInOrder(written, batch)
        try Self.expectRejected(try Data(contentsOf: rejects), source: "<stdin>", batch)
        Self.expectStandardError(result.standardError, source: "<stdin>", batch, rejects: rejects)
        // And as a file: the name says NDJSON.
        try Self.expectValidateFindings(["-"], input: batch.bytes, batch)
        try Self.expectValidateFindings([input.path], batch)
    }

    // MARK: The batch

    /// `ivig-fhir sample` records, damaged with `damages` (each twice, at the first and last
    /// line and at places chosen by the seed), written to `night.ndjson` in `folder`.
    static func damagedBatch(
        in folder: URL, count: Int, damages: [RecordDamage] = RecordDamage.catalogue
    ) throws -> (DamagedBatch, URL) {
        let clean = folder.appendingPathComponent("clean.ndjson")
        let sample = try CLIRunner.run(
            ["sample", "--count", "\(count)", "--seed", "\(sampleSeed)", "--to", "ndjson", "--output", clean.path])
        try #require(sample.exitCode == 0, "\(sample.standardError)")
        let records = try Data(contentsOf: clean).split(separator: 0x0A).map { [UInt8]($0) }
        try #require(records.count == count)
        let batch = DamagedBatch(records: records, damages: damages, copies: 2, seed: damageSeed)
        let input = folder.appendingPathComponent("night.ndjson")
        try Data(batch.bytes).write(to: input)
        return (batch, input)
    }

    // MARK: What convert must do

    /// Every record that is not rejected, in file order, equal (as JSON) to what it must be.
    static func expectWrittenInOrder(_ written: [JSONTree], _ batch: DamagedBatch) throws {
        var expected: [(line: DamagedBatch.Line, tree: JSONTree)] = []
        for line in batch.lines {
            switch line.damage?.outcome {
            case nil, .acceptedAsOriginal?: expected.append((line, try JSONTree.parse(line.original)))
            case .acceptedAsDamaged?: expected.append((line, try JSONTree.parse(line.written)))
            case .rejected?: continue
            }
        }
        #expect(written.count == expected.count)
        for (tree, want) in zip(written, expected) where tree != want.tree {
            let difference = want.tree.firstDifference(from: tree) ?? "differs"
            Issue.record("line \(want.line.number) (\(want.line.damage?.name ?? "undamaged")): \(difference)")
        }
    }

    /// One reject per rejected damage, in file order, with its line, code, reason and exact bytes;
    /// returns how many rejects there are.
    @discardableResult
    static func expectRejected(_ rejectFile: Data, source: String, _ batch: DamagedBatch) throws -> Int {
        let rejects = try rejectFile.split(separator: 0x0A).map {
            try #require(JSONSerialization.jsonObject(with: Data($0)) as? [String: Any])
        }
        let expected = batch.damaged.filter { $0.damage?.isRejected == true }
        #expect(rejects.count == expected.count)
        for (reject, line) in zip(rejects, expected) {
            guard let damage = line.damage, case .rejected(let code, let message, _) = damage.outcome else { continue }
            let what = "line \(line.number) (\(damage.name)): \(reject.filter { $0.key != "record" && $0.key != "recordBase64" })"
            #expect(reject["source"] as? String == source, "\(what)")
            #expect(reject["line"] as? Int == line.number, "\(what)")
            #expect((reject["column"] as? Int ?? 0) >= 1, "\(what)")
            #expect(reject["code"] as? String == code, "\(what)")
            #expect((reject["message"] as? String)?.contains(message) == true, "\(what)")
            let exact = (reject["recordBase64"] as? String).flatMap { Data(base64Encoded: $0) }.map { [UInt8]($0) }
            #expect(exact ?? Array((reject["record"] as? String ?? "").utf8) == line.written, "\(what)")
        }
        return rejects.count
    }

    /// The first 10 rejects echoed in compiler style (`source:line:col: error: …`), a note when
    /// there are more, then the summary.
    static func expectStandardError(_ text: String, source: String, _ batch: DamagedBatch, rejects: URL) {
        let lines = Self.lines(text)
        let rejected = batch.damaged.filter { $0.damage?.isRejected == true }
        let echoed = min(rejected.count, 10)
        #expect(lines.count == echoed + (rejected.count > 10 ? 1 : 0) + 1, "\(text)")
        for (line, damaged) in zip(lines.prefix(echoed), rejected) {
            #expect(line.hasPrefix("\(source):\(damaged.number):") && line.contains(": error: "), "\(line)")
        }
        if rejected.count > 10 {
            #expect(lines.dropLast().last == "note: further rejected records are reported only in \(rejects.path)")
        }
        #expect(lines.last == summary(batch, rejects: rejects))
    }

    /// `summary: 1 input, N records read, W written, R rejected (rejects in FILE)`: read = the file's lines.
    static func summary(_ batch: DamagedBatch, rejects: URL) -> String {
        let rejected = batch.damaged.filter { $0.damage?.isRejected == true }.count
        return "summary: 1 input, \(batch.lines.count) records read, \(batch.lines.count - rejected) written, \(rejected) rejected"
            + (rejected > 0 ? " (rejects in \(rejects.path))" : "")
    }

    // MARK: What validate must do

    /// One issue of `validate --format json`'s OperationOutcome.
    struct Finding: CustomStringConvertible {
        var line: Int?
        var column: Int?
        var severity: String
        var rule: String
        var text: String

        init(_ issue: [String: Any]) {
            func extensionValue(_ name: String) -> Any? {
                (issue["extension"] as? [[String: Any]])?.first { ($0["url"] as? String)?.hasSuffix(name) == true }
                    .flatMap { $0["valueInteger"] ?? $0["valueString"] }
            }
            line = extensionValue("operationoutcome-issue-line") as? Int
            column = extensionValue("operationoutcome-issue-col") as? Int
            severity = issue["severity"] as? String ?? "?"
            rule = extensionValue("operationoutcome-message-id") as? String ?? "?"
            text = (issue["details"] as? [String: Any])?["text"] as? String ?? ""
        }

        var description: String { "\(line ?? 0):\(column ?? 0) \(severity) [\(rule)] \(text)" }
    }

    /// Every damaged line that is rejected has a finding of its severity and rule at its line; no
    /// other line has a fatal or structural finding; every record is checked or unreadable.
    static func expectValidateFindings(_ inputs: [String], input: [UInt8] = [], _ batch: DamagedBatch) throws {
        let result = try CLIRunner.run(["validate"] + Self.options + ["--format", "json"] + inputs, input: input)
        // 65 when a record is not FHIR at all; 2 for errors; never 65 when every record is FHIR.
        let severities = batch.damaged.compactMap { line -> String? in
            if case .rejected(_, _, let finding)? = line.damage?.outcome { return finding.severity }
            return nil
        }
        if severities.contains("fatal") {
            #expect(result.exitCode == 65, "\(result.standardError)")
        } else if severities.contains("error") {
            #expect(result.exitCode == 2, "\(result.standardError)")
        } else {
            #expect(result.exitCode != 65, "\(result.standardError)")
        }
        let outcome = try #require(JSONSerialization.jsonObject(with: Data(result.outputBytes)) as? [String: Any])
        let findings = (outcome["issue"] as? [[String: Any]] ?? []).map(Finding.init)
        #expect(findings.allSatisfy { $0.severity != "fatal" || $0.line != nil })
        let byLine = Dictionary(grouping: findings.filter { $0.line != nil }) { $0.line! }
        for line in batch.lines {
            let here = byLine[line.number] ?? []
            if let damage = line.damage, case .rejected(_, let message, let expected) = damage.outcome {
                let reported = here.contains {
                    $0.severity == expected.severity && $0.rule == expected.rule
                        && $0.text.contains(expected.message ?? message) && ($0.column ?? 0) >= 1
                }
                #expect(reported, "line \(line.number) (\(damage.name)): \(here)")
            } else {
                let broken = here.filter { $0.severity == "fatal" || $0.rule.hasPrefix("struct-") }
                #expect(broken.isEmpty, "line \(line.number) (\(line.damage?.name ?? "undamaged")): \(broken)")
            }
        }
        let unreadable = batch.damaged.filter { line in
            if case .rejected(_, _, let finding)? = line.damage?.outcome { return !finding.stillChecked }
            return false
        }.count
        let read = batch.lines.count
        let counts = "summary: 1 input, \(read) records read, \(read - unreadable) checked, \(unreadable) unreadable; "
        #expect(result.standardError.hasPrefix(counts), "\(result.standardError)")
    }

    static func lines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }
}
