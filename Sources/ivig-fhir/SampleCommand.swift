import ArgumentParser
import FHIRValidationIO
import Foundation
import IVIGProducts
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
            The records are meant to validate with no error and no warning.

            --faults RATE puts one clinical error into that share of the episodes (0.05: one in \
            twenty), tagged in meta.tag (system \(SampleFault.system)) on the resource it is in: \
            \(SampleFault.allCases.map { "\($0.rawValue) (\($0.display))" }.joined(separator: "; ")).

            Products come from Mappings/products.json (or $IVIG_FHIR_PRODUCTS).

            Examples:
              ivig-fhir sample --count 1000 --seed 7 > records.ndjson
              ivig-fhir sample --count 50 --to xml --output bundle.xml
              ivig-fhir sample --count 5000 --faults 0.1 > faulty.ndjson
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

    @Option(help: "The share of episodes (0 to 1, e.g. 0.05) given one tagged clinical fault.")
    var faults: String = "0"

    func validate() throws {
        guard count >= 0 else { throw ValidationError("--count must be 0 or more") }
        guard SampleFaultRate(faults) != nil else {
            throw ValidationError("--faults must be a share from 0 to 1 with up to 4 decimals, such as 0.05; found '\(faults)'")
        }
    }

    func run() throws {
        guard let productsPath = MappingsSearch.locate("products.json", environmentVariable: "IVIG_FHIR_PRODUCTS") else {
            StandardStreams.writeError("error: no product table: set IVIG_FHIR_PRODUCTS (looked for Mappings/products.json)")
            throw ExitCodes.ioFailure
        }
        let products: ProductTable
        do {
            products = try ProductTable(contentsOf: productsPath)
        } catch {
            StandardStreams.writeError("error: \(error)")
            throw ExitCodes.ioFailure
        }
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
            try IVIGSampleWriter(format: to.format, products: products, faults: SampleFaultRate(faults)!).write(count: count, seed: seed) { chunk in
                try handle.write(contentsOf: Data(chunk))
            }
        } catch {
            StandardStreams.writeError("error: cannot write the samples: \(error)")
            throw ExitCodes.ioFailure
        }
    }
}
