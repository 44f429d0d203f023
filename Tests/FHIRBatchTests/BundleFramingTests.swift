import FHIRBatch
import FHIRCore
import FHIRJSON
import FHIRTestSupport
import Foundation
import IVIGSamples
import Testing

/// A Bundle written entry by entry is byte for byte the Bundle the encoders write at once.
@Suite struct BundleFramingTests {
    static func exampleResources() throws -> [AnyResource] {
        let url = SharedCorpus.packageRoot.appendingPathComponent(SampleRecords.exampleBundle)
        let bundle = try FHIRJSONDecoder().decode(Bundle.self, from: [UInt8](Data(contentsOf: url)))
        return bundle.entry.compactMap(\.resource)
    }

    static let encoders: [(String, any RecordEncoder, BundleSyntax)] = [
        ("json", FHIRJSONRecordEncoder(pretty: false), .json),
        ("json pretty", FHIRJSONRecordEncoder(pretty: true), .json),
        ("xml", FHIRXMLRecordEncoder(pretty: false), .xml),
        ("xml pretty", FHIRXMLRecordEncoder(pretty: true), .xml),
    ]

    @Test(arguments: encoders)
    func streamedBundleEqualsTheWholeEncoding(_ name: String, _ encoder: any RecordEncoder, _ syntax: BundleSyntax)
        throws
    {
        let resources = try Self.exampleResources()
        #expect(resources.count == 4)
        let framing = try BundleFraming(encoder: encoder, syntax: syntax)
        for count in [0, 1, 4] {
            let chosen = Array(resources.prefix(count))
            var streamed: [UInt8] = []
            if chosen.isEmpty {
                streamed = framing.empty
            } else {
                streamed = framing.header
                for (index, resource) in chosen.enumerated() {
                    if index > 0 { streamed += framing.separator }
                    streamed += try framing.entry(resource)
                }
                streamed += framing.footer
            }
            let whole = try encoder.encode(
                .bundle(BundleFraming.shell(entries: chosen.map { Bundle.Entry(resource: $0) })))
            #expect(streamed == whole, "\(name), \(count) entries")
        }
    }

    static let compactEncoders: [(String, any RecordEncoder, BundleSyntax)] = [
        ("json", FHIRJSONRecordEncoder(pretty: false), .json),
        ("xml", FHIRXMLRecordEncoder(pretty: false), .xml),
    ]

    /// A compact encoder writes each entry directly; that must be the entry as it sits in a
    /// Bundle built around the resource: for the examples and for generated IVIG records, which
    /// carry narrative, extensions, contained Medications and decimals with trailing zeros.
    @Test(arguments: compactEncoders)
    func directEntryEqualsTheEntryCutOutOfABundle(_ name: String, _ encoder: any RecordEncoder, _ syntax: BundleSyntax)
        throws
    {
        var generator = IVIGSampleGenerator(seed: 11)
        let resources = try Self.exampleResources() + generator.next(400)
        let framing = try BundleFraming(encoder: encoder, syntax: syntax)
        for resource in resources {
            let bundle = try encoder.encode(.bundle(BundleFraming.shell(entries: [Bundle.Entry(resource: resource)])))
            let cut = Array(bundle[framing.header.count..<(bundle.count - framing.footer.count)])
            let direct = try #require(encoder.encodeBundleEntry(resource), "\(name): \(resource.resourceType)")
            #expect(direct == cut, "\(name): \(resource.resourceType)")
            #expect(try framing.entry(resource) == cut, "\(name): \(resource.resourceType)")
        }
    }

    /// Pretty output indents each entry by its depth in the Bundle: cut out, never written directly.
    @Test func prettyEncodersCutEntriesOut() throws {
        let resource = try #require(try Self.exampleResources().first)
        #expect(FHIRJSONRecordEncoder(pretty: true).encodeBundleEntry(resource) == nil)
        #expect(FHIRXMLRecordEncoder(pretty: true).encodeBundleEntry(resource) == nil)
    }
}
