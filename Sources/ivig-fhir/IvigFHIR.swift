import ArgumentParser

@main
struct IvigFHIR: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ivig-fhir",
        abstract: "Convert and validate IVIG therapy records as HL7 FHIR R4.",
        subcommands: [Units.self]
    )
}
