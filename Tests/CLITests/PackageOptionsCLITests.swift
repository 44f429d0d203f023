import FHIRTestSupport
import Foundation
import Testing

/// `--package`, as a user passes it to `validate`.
@Suite struct PackageOptionsCLITests {
    @Test func usCorePackageLoadsAndABadOneStopsTheRun() throws {
        guard let usCore = SharedCorpus.url("packages/hl7.fhir.us.core-3.1.0.tgz") else {
            print(SharedCorpus.absentMessage)
            return
        }
        let input = "Examples/cidp-induction-bundle.json"
        let plain = try CLIRunner.run(["validate", input])
        let withPackage = try CLIRunner.run([
            "validate", "--package", usCore.path, "--package", "hl7.fhir.r4.core#4.0.1", input,
        ])
        #expect(withPackage.exitCode == plain.exitCode, "\(withPackage.standardError)")
        #expect(withPackage.standardOutput == plain.standardOutput)

        let missing = try CLIRunner.run(["validate", "--package", "no/such/package.tgz", input])
        #expect(missing.exitCode == 74)
        #expect(
            missing.standardError.contains("no/such/package.tgz: no such file or folder"), "\(missing.standardError)")
        let notAPackage = try CLIRunner.run(["validate", "--package", input, input])
        #expect(notAPackage.exitCode == 74)
        #expect(notAPackage.standardError.contains("not a gzip'd tar"), "\(notAPackage.standardError)")
        let uncached = try CLIRunner.run(["validate", "--package", "example.unknown#9.9.9", input])
        #expect(uncached.exitCode == 74)
        #expect(uncached.standardError.contains("example.unknown#9.9.9 is not in the package cache"))
    }
}
