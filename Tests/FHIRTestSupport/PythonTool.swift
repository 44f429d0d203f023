public import Foundation

/// Runs Python 3 scripts in tests, for checks made with Python packages (`jsonschema`,
/// `junitparser`, `pyspark`). Tests that need one skip, naming it, when it is not installed
/// (`.ci/run` installs them).
public enum PythonTool {
    /// Why a test cannot run: python3 is not on `PATH`, or a module is not installed; `nil`
    /// when all are there.
    public static func missing(modules: [String]) -> String? {
        guard let result = try? run("import " + (modules.isEmpty ? "sys" : modules.joined(separator: ", "))) else {
            return "skipped: python3 is not on PATH"
        }
        guard result.exitCode == 0 else {
            return "skipped: the Python module(s) \(modules.joined(separator: ", ")) are not installed "
                + "(python3 -m pip install \(modules.joined(separator: " ")), as .ci/run does)"
        }
        return nil
    }

    /// Runs `python3 -c SCRIPT ARGUMENTS…` in the package root, feeding `input` on standard input.
    public static func run(_ script: String, arguments: [String] = [], input: [UInt8] = []) throws -> CLIRunner.Result {
        try ProcessRun.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script] + arguments, input: input,
            in: SharedCorpus.packageRoot)
    }
}
