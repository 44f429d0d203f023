import ArgumentParser
import FHIRCore

/// `ivig-fhir convert`: read a FHIR resource and write it out again.
struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert a FHIR R4 resource (MedicationRequest, Observation, Bundle, …) between JSON and XML.",
        discussion: """
            Reads FHIR JSON or FHIR XML (told apart by the first character, or --from) from a \
            file or standard input and writes it to standard output, losslessly: decimals keep \
            their digits, primitive extensions and ids survive, the narrative stays XHTML.

            Examples:
              ivig-fhir convert Examples/cidp-induction-bundle.json
              ivig-fhir convert --to xml --pretty Examples/cidp-induction-bundle.json > order.xml
              cat order.xml | ivig-fhir convert --to json -
              ivig-fhir convert --lenient legacy.json   # drop unknown elements, with a warning each
            """
    )

    @Argument(help: "The input file, or '-' for standard input.")
    var input: String = "-"

    @Option(help: "The output format.")
    var to: WireFormat = .json

    @Option(help: "The input format (default: detected from the content).")
    var from: WireFormat?

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
            let format = try WireFormat.of(bytes, declared: from)
            let (decoded, dropped) = try format.decode(bytes, lenient: lenient)
            for warning in dropped { StandardStreams.writeError(warning.inFile(name).description) }
            resource = decoded
        } catch {
            StandardStreams.writeError(error.inFile(name).description)
            throw ExitCodes.unusableInput
        }
        do {
            try StandardStreams.writeOut(to.encode(resource, pretty: pretty))
        } catch let error as FHIRDiagnostic {
            StandardStreams.writeError(error.inFile(name).description)
            throw ExitCodes.unusableInput
        } catch {
            StandardStreams.writeError("\(error)")
            throw ExitCodes.ioFailure
        }
    }
}
