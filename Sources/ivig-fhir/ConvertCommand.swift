import ArgumentParser
import FHIRCore
import FHIRJSON

/// `ivig-fhir convert`: read a FHIR resource and write it out again.
struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert a FHIR R4 resource (MedicationRequest, Observation, Bundle, …).",
        discussion: """
            Reads FHIR JSON from a file or standard input and writes FHIR JSON to standard \
            output, losslessly: decimals keep their digits, primitive extensions and ids survive.

            Examples:
              ivig-fhir convert Examples/cidp-induction-bundle.json
              cat order.json | ivig-fhir convert --pretty -
              ivig-fhir convert --lenient legacy.json   # drop unknown elements, with a warning each
            """
    )

    @Argument(help: "The input file, or '-' for standard input.")
    var input: String = "-"

    @Flag(help: "Indent the output for people.")
    var pretty = false

    @Flag(help: "Drop elements unknown to FHIR R4 with a warning each, instead of failing.")
    var lenient = false

    func run() throws {
        let bytes: [UInt8]
        do {
            bytes = try StandardStreams.read(input)
        } catch {
            StandardStreams.writeError("\(error)")
            throw ExitCodes.ioFailure
        }
        let name = input == "-" ? "<stdin>" : input
        let resource: AnyResource
        do {
            if lenient {
                let result = try FHIRJSONDecoder().decodeLeniently(AnyResource.self, from: bytes)
                for warning in result.dropped { StandardStreams.writeError(warning.inFile(name).description) }
                resource = result.value
            } else {
                resource = try FHIRJSONDecoder().decode(AnyResource.self, from: bytes)
            }
        } catch {
            StandardStreams.writeError(error.inFile(name).description)
            throw ExitCodes.unusableInput
        }
        do {
            try StandardStreams.writeOut(FHIRJSONEncoder(pretty: pretty).encode(resource))
        } catch let error as FHIRDiagnostic {
            StandardStreams.writeError(error.inFile(name).description)
            throw ExitCodes.unusableInput
        } catch {
            StandardStreams.writeError("\(error)")
            throw ExitCodes.ioFailure
        }
    }
}
