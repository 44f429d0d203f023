import FHIRTestSupport
import Foundation
import FuzzHarness
import Testing

/// Every input kept under `Inputs/TARGET/` (crashes and broken properties the fuzzers found,
/// and hostile inputs written by hand) is replayed through the same check the fuzz target runs.
/// A crash fails the run (the last "started" line names the input); a broken property fails
/// the test case with its finding.
@Suite(.serialized) struct FuzzRegressionTests {
    static let inputs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Inputs")

    /// `TARGET/NAME` of every kept input.
    static let cases: [String] = FuzzTarget.allCases.flatMap { target in
        let names =
            (try? FileManager.default.contentsOfDirectory(atPath: inputs.appendingPathComponent(target.rawValue).path))
            ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { "\(target.rawValue)/\($0)" }
    }

    @Test(arguments: FuzzTarget.allCases)
    func everyTargetHasKeptInputs(_ target: FuzzTarget) {
        #expect(
            Self.cases.contains { $0.hasPrefix(target.rawValue + "/") },
            "no regression inputs under \(Self.inputs.path)/\(target.rawValue)")
    }

    @Test(arguments: cases)
    func replays(_ input: String) throws {
        let target = try #require(FuzzTarget(rawValue: String(input.prefix { $0 != "/" })))
        let bytes = [UInt8](try Data(contentsOf: Self.inputs.appendingPathComponent(input)))
        #expect(throws: Never.self) { try target.check(bytes) }
    }
}
