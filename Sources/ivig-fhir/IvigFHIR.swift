import ArgumentParser

@main
struct IvigFHIR: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ivig-fhir",
        abstract: "Convert and validate IVIG therapy records as HL7 FHIR R4.",
        discussion: """
            Exit codes: 0 success; 1 some records rejected; 64 bad usage; 65 input unusable \
            (not FHIR, or a resource that cannot be read); 74 I/O failure (unreadable input, \
            unwritable output).
            """,
        version: BuildInfo.versionText,
        subcommands: [
            Convert.self, Validate.self, Units.self, Sample.self, FHIRPathCommand.self, Report.self, Serve.self,
        ],
        defaultSubcommand: Convert.self
    )
}
