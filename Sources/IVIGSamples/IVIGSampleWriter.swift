import FHIRCore
public import IVIGProducts
import FHIRJSON
import FHIRXML

/// The layouts ``IVIGSampleWriter`` writes.
public enum IVIGSampleFormat: String, CaseIterable, Sendable {
    /// One compact JSON resource per line (NDJSON), the bulk-data layout.
    case ndjson
    /// One JSON collection Bundle holding every resource, one entry per line.
    case json
    /// One XML collection Bundle holding every resource, one entry per line.
    case xml
}

/// Writes sample resources in chunks, so any count streams in bounded memory.
///
/// The Bundle forms are written entry by entry (the envelope by hand, each resource through the
/// FHIR encoders), so the output is a valid Bundle that ``FHIRXMLBundleStream`` and the decoders
/// read back, whatever its size.
public struct IVIGSampleWriter: Sendable {
    /// The layout.
    public var format: IVIGSampleFormat
    /// Bytes gathered before each call to the sink.
    public var chunkSize = 1 << 20

    /// The product table the orders draw on.
    public var products: ProductTable
    /// The share of episodes with a clinical fault (``SampleFault``); none by default.
    public var faults: SampleFaultRate

    /// Creates a writer.
    public init(format: IVIGSampleFormat, products: ProductTable = .package, faults: SampleFaultRate = .none) {
        self.format = format
        self.products = products
        self.faults = faults
    }

    /// Writes `count` resources generated from `seed`.
    /// - Parameter sink: receives the output in order, in chunks of about ``chunkSize`` bytes.
    /// - Throws: what the sink throws; or a ``FHIRDiagnostic`` if a resource cannot be encoded,
    ///   which would be a bug in the generator.
    public func write(count: Int, seed: UInt64, to sink: ([UInt8]) throws -> Void) throws {
        var generator = IVIGSampleGenerator(seed: seed, products: products, faults: faults)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(chunkSize + 16_384)
        func flush(force: Bool) throws {
            if force || buffer.count >= chunkSize {
                if !buffer.isEmpty { try sink(buffer) }
                buffer.removeAll(keepingCapacity: true)
            }
        }
        let bundleID = "ivig-samples-\(seed)-\(count)"
        switch format {
        case .ndjson: break
        case .json:
            buffer += Array(#"{"resourceType":"Bundle","id":"\#(bundleID)","type":"collection""#.utf8)
            if count > 0 { buffer += Array(#","entry":["#.utf8) }
            buffer.append(UInt8(ascii: "\n"))
        case .xml:
            buffer += Array(#"<?xml version="1.0" encoding="UTF-8"?>"#.utf8)
            buffer += Array("\n<Bundle xmlns=\"http://hl7.org/fhir\"><id value=\"\(bundleID)\"/><type value=\"collection\"/>\n".utf8)
        }
        let jsonEncoder = FHIRJSONEncoder(), xmlEncoder = FHIRXMLEncoder()
        for number in 0..<count {
            let resource = generator.next()!
            let fullURL = IVIGSampleGenerator.fullURL(of: resource)
            switch format {
            case .ndjson:
                buffer += try jsonEncoder.encode(resource)
            case .json:
                buffer += Array(#"{"fullUrl":"\#(fullURL)","resource":"#.utf8)
                buffer += try jsonEncoder.encode(resource)
                buffer += Array((number == count - 1 ? "}" : "},").utf8)
            case .xml:
                buffer += Array("<entry><fullUrl value=\"\(fullURL)\"/><resource>".utf8)
                buffer += Self.withoutDeclaration(try xmlEncoder.encode(resource))
                buffer += Array("</resource></entry>".utf8)
            }
            buffer.append(UInt8(ascii: "\n"))
            try flush(force: false)
        }
        switch format {
        case .ndjson: break
        case .json: buffer += Array((count > 0 ? "]}\n" : "}\n").utf8)
        case .xml: buffer += Array("</Bundle>\n".utf8)
        }
        try flush(force: true)
    }

    /// Everything written for `count` resources, in memory (for tests and small counts).
    public func bytes(count: Int, seed: UInt64) throws -> [UInt8] {
        var output: [UInt8] = []
        try write(count: count, seed: seed) { output += $0 }
        return output
    }

    /// A resource's XML without the `<?xml …?>` declaration, to sit inside `<resource>`.
    private static func withoutDeclaration(_ xml: [UInt8]) -> ArraySlice<UInt8> {
        guard xml.starts(with: Array("<?xml".utf8)), let end = xml.firstIndex(of: UInt8(ascii: ">")) else {
            return xml[...]
        }
        return xml[(end + 1)...]
    }
}
