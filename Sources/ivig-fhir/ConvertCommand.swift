import ArgumentParser
import FHIRBatch
import FHIRConformance
import FHIRValidation
import FHIRValidationIO
import LocalRecords

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `ivig-fhir convert`: convert FHIR resources between JSON, XML and NDJSON, one resource or a
/// night's batch. A thin layer over `FHIRBatch.BatchConverter`.
struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert FHIR R4 resources between JSON, XML and NDJSON: one resource, or a batch.",
        discussion: """
            INPUTS are files, directories (read recursively in a stable order; inside them only \
            *.json, *.ndjson, *.jsonl and *.xml, gzip'd or not: *.ndjson.gz) or '-' for standard \
            input (the default). Each input's format is detected from its content: a FHIR JSON \
            resource or Bundle, NDJSON (one resource per line, as in FHIR Bulk Data), or a FHIR \
            XML resource or Bundle. gzip'd input is recognised by its first bytes and inflated as \
            it is read, on standard input too. --from overrides the detection.

            OUTPUT goes to standard output, to --output FILE, or to --output-dir DIR (one file \
            per input, named after it; with --to ndjson --group-by type, one file per resource \
            type, the rejects as NDJSON OperationOutcomes and a Bulk Data manifest.json). --to json|xml writes one document per output: gather \
            several resources with --bundle (a Bundle of type collection) or split a Bundle with \
            --split. --to ndjson writes one resource per line; Bundles are split into their \
            entries. Files are written atomically: a killed run never leaves half a file.

            BATCHES do not stop at a bad record. It goes to --rejects FILE (NDJSON: source, line, \
            column, entry, code, message, fhirPath, and the record as it came) and its error to \
            standard error as file:line:col: error: message [FHIRPath]. A summary on standard \
            error counts records read, written and rejected (read = written + rejected). \
            --fail-fast stops at the first rejected record and writes no output files. NDJSON and \
            split Bundles stream: memory is bounded by a window of records, not by the file. \
            Records are converted on every core (--jobs); the output keeps the input's order. \
            At a terminal, a progress line shows records, MB/s and rejects (not when piped).

            LIMITS: a record past a reader limit is rejected with a reason naming the limit and \
            the option that changes it, and the batch goes on: --max-record-bytes (default 64M), \
            --max-depth (64), --max-string-bytes (8M), --max-bundle-entries (1000000; in a \
            split Bundle each entry past it is rejected on its own).

            LOCAL RECORDS: --from local reads the hospital's flat IVIG records (NDJSON, one \
            record per line) and --to local writes them, mapped through the ConceptMaps of \
            --mappings DIR (default: $IVIG_FHIR_MAPPINGS, else Mappings/ in the working \
            directory or beside the tool). A record that cannot be mapped is rejected with the \
            record, field, value and ConceptMap searched.

            VALIDATION: --validate runs every check of 'ivig-fhir validate' on each record (the \
            definitions and the profiles of --package and --profile, units, dosing; each record is \
            its own context) and rejects records with errors; warnings are shown. --rules FILE \
            names another dosing rules file.

            EXIT CODES: 0 all converted; 1 some records rejected (the rest converted); 64 bad \
            usage; 65 an input unusable (not FHIR, a single resource that cannot be read, a \
            broken Bundle); 74 I/O failure (an input cannot be read, an output cannot be written).

            Examples:
              ivig-fhir convert --to xml --pretty Examples/cidp-induction-bundle.json
              cat order.xml | ivig-fhir convert --to json
              ivig-fhir convert --to ndjson --output all.ndjson exports/
              ivig-fhir convert --to xml --bundle --output night.xml night.ndjson
              ivig-fhir convert --to ndjson bundle.xml > entries.ndjson
              ivig-fhir convert --to json --split --output-dir out/ bundle.json
              ivig-fhir convert --to ndjson --rejects bad.ndjson -o ok.ndjson night/
              ivig-fhir convert --lenient legacy.json   # unknown elements: warnings
              ivig-fhir convert --from local --to json --bundle Examples/local/gbs.ndjson
              ivig-fhir convert --to local Examples/local/gbs.json
              ivig-fhir convert --validate --to ndjson --rejects bad.ndjson night.ndjson
            Shell completion: ivig-fhir --generate-completion-script bash|zsh|fish
            """
    )

    @Argument(
        help: ArgumentHelp("Files, directories, or '-' for standard input (the default).", valueName: "input"),
        completion: .file())
    var inputs: [String] = []

    @Option(
        help: ArgumentHelp(
            "The output format: \(ConvertFormats.outputNames.joined(separator: ", ")).", valueName: "format"),
        completion: .list(ConvertFormats.outputNames))
    var to: String = "json"

    @Option(
        help: ArgumentHelp(
            "The input format: \(ConvertFormats.inputNames.joined(separator: ", ")) (default: detected from the content).",
            valueName: "format"),
        completion: .list(ConvertFormats.inputNames))
    var from: String?

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp("Write to this file (atomically) instead of standard output.", valueName: "file"),
        completion: .file())
    var output: String?

    @Option(
        help: ArgumentHelp("Write one file per input into this directory, named after the input.", valueName: "dir"),
        completion: .directory)
    var outputDir: String?

    @Flag(help: "Gather the resources into one FHIR Bundle of type collection (per output).")
    var bundle = false

    @Flag(help: "Write each entry of an input Bundle on its own (with --output-dir: one file per resource).")
    var split = false

    @Flag(help: "Gzip the output (with --output-dir, files are named NAME.EXT.gz), as Bulk Data files often are.")
    var gzip = false

    enum Grouping: String, ExpressibleByArgument {
        case type
    }

    @Option(
        help: ArgumentHelp(
            "With --to ndjson --output-dir: one file per resource type and a Bulk Data manifest.json.",
            valueName: "type"))
    var groupBy: Grouping?

    @Flag(help: "Indent the output for people (json and xml).")
    var pretty = false

    @Flag(help: "Drop elements unknown to FHIR R4 with a warning each, instead of rejecting the record.")
    var lenient = false

    @Option(
        help: ArgumentHelp("Write rejected records to this file as NDJSON (with their reasons).", valueName: "file"),
        completion: .file())
    var rejects: String?

    @Flag(help: "Stop at the first rejected record; write no output files (the reject file says why).")
    var failFast = false

    @Flag(
        name: .shortAndLong,
        help: "No progress line, summary or warnings (errors still show unless --rejects keeps them).")
    var quiet = false

    @Option(help: ArgumentHelp("Worker threads (default: every core).", valueName: "n"))
    var jobs: Int?

    @Option(
        help: ArgumentHelp(
            "The local-record mapping folder for --from/--to local (default: Mappings/).", valueName: "dir"),
        completion: .directory)
    var mappings: String?

    @Flag(
        name: .customLong("validate"),
        help: "Validate each record (structure, units, dosing); reject records with errors.")
    var validateRecords = false

    @Option(
        help: ArgumentHelp(
            "The dosing rules file for --validate (default: Mappings/ivig-dosing-rules.json).", valueName: "file"),
        completion: .file())
    var rules: String?

    @OptionGroup(title: "Limits")
    var limitOptions: LimitOptions

    @OptionGroup(title: "Definitions (with --validate)")
    var packageOptions: PackageOptions

    @OptionGroup(title: "Profiles, extensions and best practice (with --validate)")
    var conformanceOptions: ConformanceOptions

    func validate() throws {
        if output != nil && outputDir != nil {
            throw ValidationError("--output and --output-dir cannot be used together")
        }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if rules != nil && !validateRecords { throw ValidationError("--rules needs --validate") }
        if !validateRecords, !packageOptions.packages.isEmpty || !conformanceOptions.profiles.isEmpty {
            throw ValidationError("--package and --profile need --validate")
        }
        if mappings != nil && from != ConvertFormats.local && to != ConvertFormats.local {
            throw ValidationError("--mappings is for --from local or --to local")
        }
    }

    /// The local-record mappings, when the run reads or writes local records.
    private func loadLocalMappings() throws -> LocalMappings? {
        guard from == ConvertFormats.local || to == ConvertFormats.local else { return nil }
        guard
            let directory = mappings
                ?? MappingsSearch.folder(holding: LocalMappings.manifestName, environmentVariable: "IVIG_FHIR_MAPPINGS")
        else {
            StandardStreams.writeError(
                "error: no local-record mappings: pass --mappings DIR or set IVIG_FHIR_MAPPINGS (looked for Mappings/\(LocalMappings.manifestName))"
            )
            throw ExitCodes.usage
        }
        do {
            return try LocalMappings.load(directory: directory)
        } catch {
            StandardStreams.writeError("\(directory): error: \(error.summary)")
            throw ExitCodes.ioFailure
        }
    }

    /// The validator, when the run validates.
    private func makeValidator() throws -> Validator? {
        guard validateRecords else { return nil }
        guard let path = rules ?? DosingRules.defaultPath() else {
            StandardStreams.writeError(
                "error: no dosing rules file: pass --rules FILE or set IVIG_FHIR_RULES (looked for Mappings/\(DosingRules.defaultFileName))"
            )
            throw ExitCodes.usage
        }
        do {
            return Validator(rules: try DosingRules(contentsOf: path))
        } catch {
            StandardStreams.writeError("\(path): error: \(error)")
            throw ExitCodes.ioFailure
        }
    }

    /// The library's messages name this command's options.
    static let optionNames = SettingNames(
        name: { setting in
            switch setting {
            case .from: "--from"
            case .to(nil): "--to"
            case .to(let format?): "--to \(format)"
            case .bundle: "--bundle"
            case .split: "--split"
            case .pretty: "--pretty"
            case .groupByType: "--group-by type"
            case .outputDirectory: "--output-dir"
            case .failFast: "--fail-fast"
            }
        }, limitAdvice: LimitOptions.advice)

    func run() throws {
        SignalCleanup.install()
        var configuration = BatchConfiguration()
        configuration.inputs = inputs
        configuration.from = from
        configuration.to = to
        configuration.pretty = pretty
        configuration.bundle = bundle
        configuration.split = split
        configuration.gzip = gzip
        configuration.groupByType = groupBy == .type
        if let output { configuration.output = .file(output) }
        if let outputDir { configuration.output = .directory(outputDir) }
        configuration.rejectsPath = rejects
        configuration.failFast = failFast
        configuration.quiet = quiet
        if let jobs { configuration.jobs = jobs }
        configuration.showProgress = isatty(STDERR_FILENO) == 1
        configuration.limits = limitOptions.limits
        configuration.names = Self.optionNames
        configuration.formats = ConvertFormats.registry(
            lenient: lenient, localMappings: try loadLocalMappings(), limits: configuration.limits)
        if let validator = try makeValidator() {
            let conformance = ConformanceCheck(
                validator: try conformanceOptions.validator(definitions: packageOptions.definitions()),
                limits: configuration.limits)
            configuration.checks = ConvertFormats.checks(
                validator: validator, conformance: conformance, recordsAreFHIR: from != ConvertFormats.local)
        }

        let report = BatchConverter(configuration).run { text in
            var text = text
            text.withUTF8 { bytes in _ = write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
        }
        switch report.status {
        case .success: return
        case .someRejected: throw ExitCodes.someRejected
        case .unusableInput: throw ExitCodes.unusableInput
        case .usage: throw ExitCodes.usage
        case .ioFailure: throw ExitCodes.ioFailure
        }
    }
}
