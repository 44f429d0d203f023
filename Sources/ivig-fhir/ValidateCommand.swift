import ArgumentParser
import FHIRBatch
import FHIRConformance
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
        abstract: "Validate FHIR R4 resources: definitions and profiles, UCUM units and IVIG dosing rules.",
        discussion: """
            Reads FHIR JSON, NDJSON (one resource per line) or FHIR XML from files, directories \
            (searched recursively for .json, .ndjson, .jsonl and .xml, in sorted order) or \
            standard input ('-'), the format told by the content, as 'convert' does. Everything \
            given together is one context: an order, the patient's weight and the infusions are \
            checked against each other across files. The inputs are streamed twice (standard \
            input is kept in a temporary file): memory follows the patients, not the input.

            Text output is one line per finding, written as found:
              file:line:col: severity: message [rule] (FHIRPath)
            and a summary on standard error. JSON and XML output is an OperationOutcome (for \
            several inputs, a Bundle of one per record with findings, naming its file); ndjson \
            is one OperationOutcome per record with findings, per line (the Bulk Data error file). \
            For CI: csv (a header row, then file, line, column, severity, rule, fhirpath, \
            message), compact (the HL7 validator's style), sarif (SARIF 2.1.0, for code \
            scanning) and junit (JUnit XML: a test case per record, failing on errors).

            A record past a reader limit (--max-record-bytes, --max-depth, --max-string-bytes, \
            --max-bundle-entries; see 'convert --help') is a fatal struct-limit finding for that \
            record; the others are checked.

            Every resource is checked against the definitions of its type (base R4, carried \
            in the tool) and the profiles it claims or --profile names, from the packages \
            given with --package: cardinality, types, fixed and pattern values, bindings \
            (terminology offline only), every invariant, extensions, slicing, references \
            inside a Bundle.

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

    @Argument(help: "Files, directories, or '-' for standard input.")
    var inputs: [String] = ["-"]

    @Option(
        help: """
            The output: text lines, an OperationOutcome in FHIR JSON or XML, ndjson (one per \
            record), or csv, compact, sarif, junit for CI.
            """)
    var format: OutputFormat = .text

    @Option(help: "The dosing rules file (default: Mappings/ivig-dosing-rules.json).")
    var rules: String?

    @Option(help: "Worker threads (default: one per core).")
    var jobs: Int?

    @OptionGroup(title: "Limits")
    var limitOptions: LimitOptions

    @OptionGroup(title: "Definitions")
    var packageOptions: PackageOptions

    @OptionGroup(title: "Profiles and extensions")
    var conformanceOptions: ConformanceOptions

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        let conformance = try conformanceOptions.validator(definitions: packageOptions.definitions())
        guard let rulesPath = rules ?? DosingRules.defaultPath() else {
            StandardStreams.writeError(
                "error: no dosing rules file: pass --rules FILE or set IVIG_FHIR_RULES (looked for Mappings/\(DosingRules.defaultFileName))"
            )
            throw ExitCodes.ioFailure
        }
        let dosingRules: DosingRules
        do {
            dosingRules = try DosingRules(contentsOf: rulesPath)
        } catch {
            StandardStreams.writeError("error: \(error)")
            throw ExitCodes.ioFailure
        }
        let step = RecordValidation(
            validator: Validator(rules: dosingRules), limits: limitOptions.limits,
            conformance: ConformanceCheck(validator: conformance, limits: limitOptions.limits))
        var validation = StreamingValidation(step: step)
        if let jobs { validation.jobs = jobs }
        let planned: RecordPipeline.Planned
        let cleanUp: @Sendable () -> Void
        do {
            (planned, cleanUp) = try validation.plan(inputs: inputs)
        } catch {
            StandardStreams.writeError(error.description)
            throw error.kind == .usage ? ExitCode.validationFailure : ExitCodes.ioFailure
        }
        defer { cleanUp() }
        for warning in planned.warnings { StandardStreams.writeError(warning) }
        var renderer = format.output.makeRenderer(toolVersion: BuildInfo.version)
        let summary: StreamingValidation.Summary
        do {
            try StandardStreams.writeOut(renderer.start(inputs: planned.inputs.map(\.input.displayName)))
            summary = try validation.run(
                planned, everyRecord: renderer.rendersRecordsWithoutFindings,
                problems: { StandardStreams.writeError($0) }
            ) { record in
                var advised = record
                for index in advised.findings.indices {
                    advised.findings[index].message = LimitOptions.advised(advised.findings[index].message)
                }
                try StandardStreams.writeOut(renderer.render(advised))
            }
            try StandardStreams.writeOut(renderer.finish())
        } catch let error as FHIRDiagnostic {
            StandardStreams.writeError("error: the OperationOutcome cannot be written: \(error)")
            throw ExitCodes.ioFailure
        } catch {
            StandardStreams.writeError("\(error)")
            throw ExitCodes.ioFailure
        }
        StandardStreams.writeError(summary.line)
        if summary.unreadableInputs > 0 { throw ExitCodes.ioFailure }
        if summary.fatal > 0 { throw ExitCodes.unusableInput }
        if summary.errors > 0 { throw ExitCodes.errorsFound }
    }
}

extension Validate {
    /// The `--format` values, one per ``ValidationOutput``.
    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json, xml, ndjson, csv, compact, sarif, junit

        var output: ValidationOutput { ValidationOutput(rawValue: rawValue)! }
    }
}
