import ArgumentParser
import Foundation
import IVIGSamples

/// The `--to` values, one per ``IVIGSampleFormat``.
enum SampleLayout: String, ExpressibleByArgument, CaseIterable {
    case ndjson, json, xml

    var format: IVIGSampleFormat {
        switch self {
        case .ndjson: .ndjson
        case .json: .json
        case .xml: .xml
        }
    }
}

/// `ivig-fhir sample`: write realistic, deterministic IVIG records for tests and load tests.
struct Sample: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write realistic sample IVIG records (FHIR R4), the same for the same seed.",
        discussion: """
            Patients with their diagnosis (CIDP, MMN, GBS, MG, Kawasaki disease, ITP, PID), body \
            weight, product, order dosed for the indication, infusions with their rate ramp, \
            reactions and measures of response. The same --seed and --count always give the same bytes.

            Examples:
              ivig-fhir sample --count 1000 --seed 7 > records.ndjson
              ivig-fhir sample --count 50 --to xml --output bundle.xml
            """
    )

    @Option(help: "How many resources to write.")
    var count: Int = 100

    @Option(help: "The seed; equal seeds give equal output.")
    var seed: UInt64 = 1

    @Option(help: "ndjson (one resource per line), json or xml (one collection Bundle).")
    var to: SampleLayout = .ndjson

    @Option(help: "The output file (default: standard output).")
    var output: String?

    func validate() throws {
        guard count >= 0 else { throw ValidationError("--count must be 0 or more") }
    }

    func run() throws {
        let handle: FileHandle
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: nil),
                  let file = FileHandle(forWritingAtPath: output) else {
                StandardStreams.writeError("\(output): error: cannot create the output file")
                throw ExitCodes.ioFailure
            }
            handle = file
        } else {
            handle = FileHandle.standardOutput
        }
        defer { if output != nil { try? handle.close() } }
        do {
            try IVIGSampleWriter(format: to.format).write(count: count, seed: seed) { chunk in
                try handle.write(contentsOf: Data(chunk))
            }
        } catch {
            StandardStreams.writeError("error: cannot write the samples: \(error)")
            throw ExitCodes.ioFailure
        }
    }
}
