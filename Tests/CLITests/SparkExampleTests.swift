import FHIRTestSupport
import Foundation
import Testing

/// `Examples/spark/ivig_spark_job.py` in Spark's local mode: NDJSON partitions (one file
/// gzip'd) piped through the built `ivig-fhir convert`, outputs and rejects written per
/// partition, the counts adding up across the job. Needs pyspark (pip) and Java 17; skips
/// with a message without them.
@Suite struct SparkExampleTests {
    static var missing: String? {
        if let python = PythonTool.missing(modules: ["pyspark"]) { return python }
        let java = try? ProcessRun.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["java", "-version"], in: SharedCorpus.packageRoot)
        return java?.exitCode == 0 ? nil : "skipped: java is not on PATH (apt-get install openjdk-17-jre-headless)"
    }

    @Test(.enabled(if: SparkExampleTests.missing == nil, "needs pyspark (pip) and Java 17"))
    func theJobConvertsEveryPartitionAndTheCountsAddUp() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("spark-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        let first = try CLIRunner.run(["sample", "--count", "1500", "--seed", "21"])
        let second = try CLIRunner.run(["sample", "--count", "1000", "--seed", "22"])
        #expect(first.exitCode == 0 && second.exitCode == 0)
        let broken = Array("{\"resourceType\":\"Patient\",\"id\":\nnot json\n".utf8)
        try Data(first.outputBytes + broken).write(to: input.appendingPathComponent("a.ndjson"))
        let packed = try ProcessRun.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["gzip", "-c"], input: second.outputBytes, in: directory)
        try Data(packed.outputBytes).write(to: input.appendingPathComponent("b.ndjson.gz"))

        let output = directory.appendingPathComponent("out")
        let job = try ProcessRun.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            [
                "python3", "Examples/spark/ivig_spark_job.py", "--binary", try CLIRunner.executable().path,
                "--input", input.path, "--output", output.path, "--master", "local[2]", "--partitions", "3",
            ],
            in: SharedCorpus.packageRoot)
        #expect(job.exitCode == 0, "\(job.standardError.suffix(2000))")
        let counts = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: output.appendingPathComponent("counts.json")))
                as? [String: Any])
        let total = try #require(counts["total"] as? [String: Int])
        #expect(total["given"] == 2502)
        #expect(total["read"] == 2502)
        #expect(total["written"] == 2500)
        #expect(total["rejected"] == 2)
        #expect((total["partitions"] ?? 0) >= 3)

        // The records are those a single convert writes, whatever the partitioning.
        func lines(_ folder: String) throws -> [String] {
            let url = output.appendingPathComponent(folder)
            return try FileManager.default.contentsOfDirectory(atPath: url.path).filter { $0.hasPrefix("part-") }
                .flatMap { name in
                    try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)
                        .split(separator: "\n").map(String.init)
                }
        }
        let direct = try CLIRunner.run(
            ["convert", "--to", "ndjson", "-"], input: first.outputBytes + second.outputBytes)
        #expect(Set(try lines("records")) == Set(direct.standardOutput.split(separator: "\n").map(String.init)))
        let rejects = try lines("rejects")
        #expect(rejects.count == 2)
        #expect(rejects.allSatisfy { $0.contains("\"code\"") && $0.contains("\"message\"") })
    }
}
