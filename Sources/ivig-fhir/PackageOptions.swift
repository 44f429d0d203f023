import ArgumentParser
import FHIRPackages
import FHIRValidationIO

/// `--package PATH|name#version` (repeatable): the FHIR packages whose definitions a command
/// uses besides base R4, which the tool carries. Shared by every command that needs
/// definitions; a package that cannot be read or lacks a dependency ends the run (exit 74).
struct PackageOptions: ParsableArguments {
    @Option(
        name: .customLong("package"),
        help: ArgumentHelp(
            "A FHIR package: a registry .tgz, an unpacked folder, or name#version from the package cache "
                + "($FHIR_PACKAGE_CACHE or ~/.fhir/packages). Repeatable; dependencies come from those given "
                + "and the cache. Base R4 (hl7.fhir.r4.core 4.0.1) is built in.",
            valueName: "path|name#version"))
    var packages: [String] = []

    /// Base R4, the definitions of the extensions ivig-fhir's own records use
    /// (`Mappings/package/`, found as the other `Mappings/` files are), and the packages given
    /// with their dependencies.
    /// - Throws: `ExitCodes.ioFailure` after printing why a package cannot be used.
    func definitions() throws -> FHIRDefinitions {
        var all = packages
        if let project = MappingsSearch.folder(holding: "package/package.json", environmentVariable: "IVIG_FHIR_MAPPINGS") {
            all.insert(project, at: 0)
        }
        guard !all.isEmpty else { return .baseR4 }
        do {
            return try FHIRDefinitions(packages: try PackageResolver().resolve(all))
        } catch {
            StandardStreams.writeError("error: \(error.message)")
            throw ExitCodes.ioFailure
        }
    }
}
