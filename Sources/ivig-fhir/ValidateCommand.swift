import ArgumentParser
import FHIRCore
import FHIRValidation
import FHIRValidationIO

extension ExitCodes {
    /// `validate` found at least one error (and no input was unusable).
    static let errorsFound = ExitCode(2)
}

/// `ivig-fhir validate`: check FHIR resources (structure, units, IVIG dosing) and report findings.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate FHIR R4 resources: structure, UCUM units and IVIG dosing rules.",
        discussion: """
            Reads FHIR JSON, NDJSON (one resource per line) or FHIR XML from files, directories \
            (searched recursively for .json, .ndjson, .jsonl and .xml, in sorted order) or \
            standard input ('-'). Everything given together is one context: an order, the \
            patient's weight and the infusions are checked against each other across files.

            Text output is one line per finding:
              file:line:col: severity: message [rule] (FHIRPath)
            and a summary on standard error. JSON and XML output is an OperationOutcome (a \
            Bundle of one per input when there are several). For CI: csv (a header row, then \
            file, line, column, severity, rule, fhirpath, message), compact (the HL7 \
            validator's style), sarif (SARIF 2.1.0, for code scanning) and junit (JUnit XML: a \
            test case per record, failing on errors).

            A record past a reader limit (--max-record-bytes, --max-depth, --max-string-bytes, \
            --max-bundle-entries; see 'convert --help') is a fatal struct-limit finding for that \
            record; the others are checked.

            The dosing thresholds come from --rules, else $IVIG_FHIR_RULES, else \
            Mappings/ivig-dosing-rules.json (in the working directory or beside the tool).

            Exit codes: 0 no errors (warnings and information may be reported); 2 errors \
            found; 64 bad usage; 65 an input is unusable (not JSON or XML, not well-formed, \
            not FHIR); 74 an input or the rules file cannot be read, or output cannot be written.

            Examples:
              ivig-fhir validate Examples/cidp-induction-bundle.json
              ivig-fhir validate --format json Examples/validation
              cat order.ndjson | ivig-fhir validate -
            """
    )

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json, xml, csv, compact, sarif, junit
    }

    @Argument(help: "Files, directories, or '-' for standard input.")
    var inputs: [String] = ["-"]

    @Option(help: "The output: text lines, an OperationOutcome in FHIR JSON or XML, or csv, compact, sarif, junit.")
    var format: OutputFormat = .text

    @Option(help: "The dosing rules file (default: Mappings/ivig-dosing-rules.json).")
    var rules: String?

    @OptionGroup(title: "Limits")
    var limitOptions: LimitOptions

    func run() throws {
        guard let rulesPath = rules ?? DosingRules.defaultPath() else {
            StandardStreams.writeError("error: no dosing rules file: pass --rules FILE or set IVIG_FHIR_RULES (looked for Mappings/\(DosingRules.defaultFileName))")
            throw ExitCodes.ioFailure
        }
        let dosingRules: DosingRules
        do {
            dosingRules = try DosingRules(contentsOf: rulesPath)
        } catch {
            StandardStreams.writeError("error: \(error)")
            throw ExitCodes.ioFailure
        }
        let sources: [ValidationSource]
        do {
            sources = try ValidationSource.sources(for: inputs)
        } catch {
            StandardStreams.writeError("\(error)")
            throw ExitCodes.ioFailure
        }
        let reports = ValidationRun(validator: Validator(rules: dosingRules), limits: limitOptions.limits).validate(sources)
        do {
            switch format {
            case .text: try StandardStreams.writeOut(Array(OutcomeRendering.text(reports).utf8))
            case .json: try StandardStreams.writeOut(OutcomeRendering.json(reports) + [0x0A])
            case .xml: try StandardStreams.writeOut(OutcomeRendering.xml(reports) + [0x0A])
            case .csv: try write(reports, as: CSVReport())
            case .compact: try write(reports, as: CompactReport())
            case .sarif: try write(reports, as: SARIFReport(toolVersion: BuildInfo.version))
            case .junit: try write(reports, as: JUnitReport())
            }
        } catch let error as FHIRDiagnostic {
            StandardStreams.writeError("error: the OperationOutcome cannot be written: \(error)")
            throw ExitCodes.ioFailure
        } catch {
            StandardStreams.writeError("\(error)")
            throw ExitCodes.ioFailure
        }
        StandardStreams.writeError(OutcomeRendering.summary(reports))
        let severities = reports.flatMap(\.findings).map(\.severity)
        if severities.contains(.fatal) { throw ExitCodes.unusableInput }
        if severities.contains(.error) { throw ExitCodes.errorsFound }
    }

    /// Writes a CI report record by record, in pieces of about 64 KiB.
    private func write(_ reports: [ValidationRun.Report], as writer: some FindingsReportWriter) throws {
        var writer = writer
        var pending = writer.start()
        for record in reports.lazy.flatMap(\.recordFindings) {
            pending += writer.add(record)
            if pending.count >= 1 << 16 {
                try StandardStreams.writeOut(pending)
                pending.removeAll(keepingCapacity: true)
            }
        }
        try StandardStreams.writeOut(pending + writer.finish())
    }
}
