import ArgumentParser
import FHIRCore
import FHIRElementModel
import FHIRJSON
import FHIRPackages
import FHIRPath
import FHIRXML

/// `ivig-fhir fhirpath EXPRESSION [INPUT…]`: evaluates a FHIRPath expression against FHIR files,
/// for people checking an invariant or a search expression by hand, and for scripts.
struct FHIRPathCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fhirpath",
        abstract: "Evaluate a FHIRPath expression against FHIR JSON or XML resources.",
        discussion: """
            Prints each item of the result with its type, one per line (FHIR types as \
            FHIR.string, System types as System.Integer), or, with --format json, one JSON \
            object per input. Inputs are read through the element model with the base R4 \
            definitions, so every resource type is accepted. Without an input, the expression is \
            evaluated on nothing (literals and functions only). A syntax error shows the column \
            with a caret (exit 65); an error while evaluating names the input (exit 65).

            Examples:
              ivig-fhir fhirpath "name.where(use = 'official').given" patient.json
              ivig-fhir fhirpath "Observation.value.ofType(Quantity).value > 5" obs.xml
              ivig-fhir fhirpath --format json "entry.resource.ofType(Patient).id" bundle.json
              ivig-fhir fhirpath "(1.2 / 1.8).round(2)"
            """
    )

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "The FHIRPath expression.")
    var expression: String

    @Argument(help: "FHIR JSON or XML files (`-` for standard input).")
    var inputs: [String] = []

    @Option(help: "Output as text (one item per line) or json.")
    var format: OutputFormat = .text

    func run() throws {
        let parsed: FHIRPathExpression
        do {
            parsed = try FHIRPathExpression.parse(expression)
        } catch {
            StandardStreams.writeError(error.description)
            throw ExitCodes.unusableInput
        }
        let index = FHIRLayoutIndex(FHIRDefinitions.baseR4)
        let environment = FHIRPathEnvironment(
            layouts: FHIRDefinitions.baseR4,
            trace: { name, values in
                StandardStreams.writeError("trace \(name): " + values.map { Self.describe($0) }.joined(separator: ", "))
            })
        var output = ""
        let sources: [String?] = inputs.isEmpty ? [nil] : inputs.map { $0 }
        for source in sources {
            var input: FHIRElement?
            if let source {
                let bytes = try StandardStreams.read(source)
                do {
                    switch FHIRFormatSniffer.detect(bytes) {
                    case .xml: input = try FHIRElementXMLReader(index: index).read(bytes)
                    case .json: input = try FHIRElementJSONReader(index: index).read(bytes)
                    case nil:
                        StandardStreams.writeError("\(source): error: not FHIR JSON or XML (expected '{' or '<' first)")
                        throw ExitCodes.unusableInput
                    }
                } catch let diagnostic as FHIRDiagnostic {
                    StandardStreams.writeError(diagnostic.inFile(source).description)
                    throw ExitCodes.unusableInput
                }
            }
            let result: [FHIRPathValue]
            do {
                result = try parsed.evaluate(on: input, environment: environment)
            } catch {
                StandardStreams.writeError("\(source ?? "(no input)"): \(error.description)")
                throw ExitCodes.unusableInput
            }
            switch format {
            case .text:
                if sources.count > 1 { output += "\(source ?? "(no input)"):\n" }
                for value in result { output += Self.describe(value) + "\n" }
            case .json:
                output += Self.json(result, source: source) + "\n"
            }
        }
        try StandardStreams.writeOut(Array(output.utf8))
    }

    /// `FHIR.string: Peter`, `System.Quantity: 4 'mg'`, `FHIR.HumanName: {…}`.
    static func describe(_ value: FHIRPathValue) -> String {
        let (namespace, name) = value.typeSpecifier
        if case .element(let element) = value, value.systemValue == nil, element.kind != .primitive {
            return "\(namespace).\(name) at \(element.fhirPath)"
        }
        return "\(namespace).\(name): \(value.text)"
    }

    /// `{"input":"patient.json","result":[{"type":"FHIR.string","value":"Peter","path":"Patient.name[0].given[0]"}]}`
    static func json(_ values: [FHIRPathValue], source: String?) -> String {
        var items: [String] = []
        for value in values {
            let (namespace, name) = value.typeSpecifier
            var fields = ["\"type\":" + JSONText.quoted("\(namespace).\(name)")]
            if case .element(let element) = value {
                if let text = value.systemValue?.text ?? element.value {
                    fields.append("\"value\":" + JSONText.quoted(text))
                }
                fields.append("\"path\":" + JSONText.quoted(element.fhirPath))
            } else {
                fields.append("\"value\":" + JSONText.quoted(value.text))
            }
            items.append("{" + fields.joined(separator: ",") + "}")
        }
        let input = source.map(JSONText.quoted) ?? "null"
        return "{\"input\":\(input),\"result\":[" + items.joined(separator: ",") + "]}"
    }

}
