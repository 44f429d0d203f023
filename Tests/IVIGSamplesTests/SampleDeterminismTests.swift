import FHIRCore
import FHIRJSON
import FHIRXML
import IVIGSamples
import Testing

/// The same seed gives the same bytes; another seed gives other records; the output reads back.
@Suite struct SampleDeterminismTests {
    @Test(arguments: IVIGSampleFormat.allCases)
    func sameSeedSameBytes(format: IVIGSampleFormat) throws {
        let writer = IVIGSampleWriter(format: format)
        let first = try writer.bytes(count: 300, seed: 42)
        let second = try writer.bytes(count: 300, seed: 42)
        #expect(first.count > 100_000)
        #expect(first == second)
        #expect(try writer.bytes(count: 300, seed: 43) != first)
    }

    @Test func chunkingDoesNotChangeTheOutput() throws {
        var small = IVIGSampleWriter(format: .xml)
        small.chunkSize = 1000
        var chunks = 0
        var joined: [UInt8] = []
        try small.write(count: 120, seed: 5) { chunk in
            chunks += 1
            joined += chunk
        }
        #expect(chunks > 10)
        #expect(joined == (try IVIGSampleWriter(format: .xml).bytes(count: 120, seed: 5)))
    }

    @Test func aLongerRunStartsWithTheShorterOne() throws {
        var long = IVIGSampleGenerator(seed: 9)
        var short = IVIGSampleGenerator(seed: 9)
        #expect(Array(long.next(500).prefix(200)) == short.next(200))
    }

    @Test func ndjsonHasOneStrictlyDecodableResourcePerLine() throws {
        let bytes = try IVIGSampleWriter(format: .ndjson).bytes(count: 400, seed: 11)
        let lines = bytes.split(separator: UInt8(ascii: "\n"))
        #expect(lines.count == 400)
        var generator = IVIGSampleGenerator(seed: 11)
        for line in lines {
            let decoded = try FHIRJSONDecoder().decode(AnyResource.self, from: Array(line))
            let sameModel = decoded == generator.next()
            #expect(sameModel, "\(decoded.resource.id?.value ?? "")")
            let sameBytes = try FHIRJSONEncoder().encode(decoded) == Array(line)
            #expect(sameBytes, "\(decoded.resource.id?.value ?? "")")
        }
    }

    @Test func jsonBundleDecodesWithEveryEntry() throws {
        let bytes = try IVIGSampleWriter(format: .json).bytes(count: 150, seed: 3)
        guard case .bundle(let bundle) = try FHIRJSONDecoder().decode(AnyResource.self, from: bytes) else {
            Issue.record("not a Bundle")
            return
        }
        var generator = IVIGSampleGenerator(seed: 3)
        #expect(bundle.type?.value == "collection")
        #expect(bundle.entry.count == 150)
        for entry in bundle.entry {
            let next = generator.next()
            let expected = try #require(next)
            #expect(entry.resource == expected)
            #expect(entry.fullUrl?.value == IVIGSampleGenerator.fullURL(of: expected))
        }
    }

    @Test func xmlBundleDecodesWholeAndEntryByEntry() throws {
        let bytes = try IVIGSampleWriter(format: .xml).bytes(count: 150, seed: 3)
        guard case .bundle(let bundle) = try FHIRXMLDecoder().decode(AnyResource.self, from: bytes) else {
            Issue.record("not a Bundle")
            return
        }
        #expect(bundle.entry.count == 150)
        let stream = try FHIRXMLBundleStream(bytes: bytes)
        var generator = IVIGSampleGenerator(seed: 3)
        var count = 0
        while let item = try stream.next() {
            #expect(item.entry.resource == generator.next())
            #expect(item.entry == bundle.entry[item.index])
            count += 1
        }
        #expect(count == 150)
    }

    @Test func everySampleSurvivesJSONToXMLToJSON() throws {
        var generator = IVIGSampleGenerator(seed: 21)
        for resource in generator.next(600) {
            let json = try FHIRJSONEncoder().encode(resource)
            let xml = try FHIRXMLEncoder().encode(resource)
            let fromXML = try FHIRXMLDecoder().decode(AnyResource.self, from: xml)
            let name = "\(resource.resourceType)/\(resource.resource.id?.value ?? "")"
            let sameModel = fromXML == resource
            #expect(sameModel, "\(name) changed through XML")
            let sameJSON = try FHIRJSONEncoder().encode(fromXML) == json
            #expect(sameJSON, "\(name) JSON changed through XML")
        }
    }
}
