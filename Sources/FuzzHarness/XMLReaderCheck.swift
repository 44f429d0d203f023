import FHIRCore
import FHIRXML

/// FHIR XML in: the strict and lenient decoders, and the Bundle stream read to its end.
enum XMLReaderCheck {
    static func check(_ bytes: [UInt8]) {
        _ = try? FHIRXMLDecoder().decode(AnyResource.self, from: bytes)
        _ = try? FHIRXMLDecoder().decodeLeniently(AnyResource.self, from: bytes)
        ElementModelCheck.checkXML(bytes)
        guard let stream = try? FHIRXMLBundleStream(bytes: bytes) else { return }
        // Every entry start tag takes several bytes, so a stream that yields more items than
        // the input has bytes is looping.
        for _ in 0...bytes.count {
            guard let item = try? stream.next() else { return }
            _ = item.entry
        }
    }
}
