import FHIRCore
import FHIRValidationIO
import Foundation
import LocalRecords

/// One local-schema record mapped to FHIR with the shipped mappings: what maps must be FHIR the
/// tool can write and read back unchanged.
enum LocalRecordCheck {
    /// The shipped mappings (`$IVIG_FHIR_MAPPINGS`, else `Mappings/` in the working directory or
    /// above the executable), loaded once.
    private static let mapper: Result<LocalToFHIR, FuzzFinding> = {
        let directory = MappingsSearch.folder(
            holding: LocalMappings.manifestName, environmentVariable: "IVIG_FHIR_MAPPINGS")
        guard let directory else { return .failure(FuzzFinding("no Mappings/ found: set IVIG_FHIR_MAPPINGS")) }
        do throws(LocalRecordError) {
            return .success(LocalToFHIR(mappings: try LocalMappings.load(directory: directory)))
        } catch {
            return .failure(FuzzFinding("the mappings in \(directory) do not load: \(error)"))
        }
    }()

    static func check(_ bytes: [UInt8]) throws(FuzzFinding) {
        let mapper = try mapper.get()
        guard let resources = try? mapper.resources(forLine: bytes, origin: LocalRecordOrigin(file: "fuzz", line: 1))
        else { return }
        for resource in resources {
            try RoundTripCheck.readsBack(resource, label: "a mapped \(resource.resourceType)")
        }
    }
}
