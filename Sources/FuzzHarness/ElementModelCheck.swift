import FHIRCore
import FHIRElementModel
import FHIRJSON
import FHIRPackages
import FHIRXML

/// The element model's readers on fuzzed input, within the reader limits (the defaults, and
/// tight ones so the limits themselves are reached): they must answer, and what they accept
/// must be writable in both formats.
enum ElementModelCheck {
    static let index = FHIRLayoutIndex(FHIRDefinitions.baseR4)
    static let tight = FHIRReadLimits(maxRecordBytes: 1 << 16, maxDepth: 12, maxStringBytes: 256, maxBundleEntries: 8)

    static func checkJSON(_ bytes: [UInt8]) {
        for limits in [FHIRReadLimits.default, tight] {
            let reader = FHIRElementJSONReader(index: index, limits: limits)
            for lenient in [false, true] {
                guard let (resource, _) = try? reader.read(bytes, lenient: lenient) else { continue }
                writeBoth(resource)
            }
            _ = try? reader.readBundleEntry(bytes)
        }
    }

    static func checkXML(_ bytes: [UInt8]) {
        for limits in [FHIRReadLimits.default, tight] {
            let reader = FHIRElementXMLReader(index: index, limits: limits)
            for lenient in [false, true] {
                guard let (resource, _) = try? reader.read(bytes, lenient: lenient) else { continue }
                writeBoth(resource)
            }
        }
    }

    private static func writeBoth(_ resource: FHIRElement) {
        _ = try? FHIRElementJSONWriter().write(resource)
        _ = try? FHIRElementXMLWriter(pretty: true).write(resource)
        _ = resource.children.last?.fhirPath
    }
}
