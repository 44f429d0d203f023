import FHIRTestSupport
import Foundation
import Testing

/// `scripts/release.sh`: the tarball unpacks and runs in an empty folder with no Swift toolchain
/// on `PATH`. A release build takes minutes, so this runs only with `IVIG_RELEASE_TEST=1`.
@Suite struct ReleaseTests {
    static let enabled = ProcessInfo.processInfo.environment["IVIG_RELEASE_TEST"] == "1"

    @Test(.enabled(if: ReleaseTests.enabled, "skipped: a release build takes minutes; set IVIG_RELEASE_TEST=1 to run it"))
    func theReleaseRunsWithoutAToolchain() throws {
        let root = SharedCorpus.packageRoot
        let bash = URL(fileURLWithPath: "/bin/bash")
        let build = try ProcessRun.run(bash, ["scripts/release.sh", "0.0.0-test"], in: root)
        #expect(build.exitCode == 0, "\(build.standardError.suffix(3000))")
        let tarball = try #require(build.standardOutput.split(separator: "\n").last.map(String.init))
        #expect(tarball.hasSuffix(".tar.gz"))

        let clean = FileManager.default.temporaryDirectory.appendingPathComponent("release-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: clean, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: clean) }
        let bare = ["PATH": "/usr/bin:/bin", "HOME": clean.path]
        let sum = try ProcessRun.run(
            bash,
            [
                "-c",
                "cd \(root.appendingPathComponent("dist").path) && sha256sum -c "
                    + "\(tarball.split(separator: "/").last!).sha256",
            ],
            in: clean, environment: bare)
        #expect(sum.exitCode == 0, "\(sum.standardOutput)\(sum.standardError)")
        let unpack = try ProcessRun.run(
            URL(fileURLWithPath: "/bin/tar"), ["-xzf", root.appendingPathComponent(tarball).path], in: clean,
            environment: bare)
        #expect(unpack.exitCode == 0)
        let folder = try #require(try FileManager.default.contentsOfDirectory(atPath: clean.path).first)
        let tool = clean.appendingPathComponent(folder).appendingPathComponent("bin/ivig-fhir")

        // No toolchain: swift is not on this PATH.
        let which = try ProcessRun.run(bash, ["-c", "command -v swift"], in: clean, environment: bare)
        #expect(which.exitCode != 0)
        let version = try ProcessRun.run(tool, ["--version"], in: clean, environment: bare)
        #expect(version.exitCode == 0, "\(version.standardError)")
        #expect(version.standardOutput.hasPrefix("ivig-fhir 0.0.0-test (commit "))
        #expect(!version.standardOutput.contains("commit unknown"))
        #expect(version.standardOutput.contains("FHIR 4.0.1"))
        #expect(version.standardOutput.contains("dosing rules 2026-11"))

        let example = try Data(
            contentsOf: root.appendingPathComponent("Examples/validation/json/invalid/cidp-course-dose-too-high.json"))
        let converted = try ProcessRun.run(
            tool, ["convert", "--to", "xml", "-"], input: [UInt8](example), in: clean, environment: bare)
        #expect(converted.exitCode == 0, "\(converted.standardError)")
        #expect(converted.standardOutput.contains("<Bundle xmlns=\"http://hl7.org/fhir\">"))
        // validate finds the rules file beside bin/ in the unpacked release.
        let validated = try ProcessRun.run(
            tool, ["validate", "-"], input: [UInt8](example), in: clean, environment: bare)
        #expect(validated.exitCode == 2, "\(validated.standardError)")
        #expect(validated.standardOutput.contains("[ivig-course-dose]"))
        let manual = clean.appendingPathComponent(folder).appendingPathComponent("share/man/man1/ivig-fhir.1")
        #expect(FileManager.default.fileExists(atPath: manual.path))
    }
}
