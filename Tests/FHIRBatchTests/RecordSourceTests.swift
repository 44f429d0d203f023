import FHIRCore
import FHIRTestSupport
import Foundation
import Testing

@testable import FHIRBatch

/// NDJSON and JSON Bundle sources cut records out of files read in chunks.
@Suite struct RecordSourceTests {
    private func withFile<T>(_ bytes: [UInt8], name: String = "input.ndjson", _ body: (BatchInput) throws -> T) throws
        -> T
    {
        let folder = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return try body(BatchInput(location: .file(path: url.path), displayName: name, outputStem: "input"))
    }

    private func records(_ source: any RecordSource) throws -> [RawRecord] {
        var all: [RawRecord] = []
        while let record = try source.next() { all.append(record) }
        return all
    }

    private func text(_ record: RawRecord) -> String { String(decoding: record.originalBytes, as: UTF8.self) }

    @Test func ndjsonLinesKeepTheirNumbersAcrossChunks() throws {
        // Over three chunks, with CRLF endings, an empty line and a last line without a break.
        let line = #"{"resourceType":"Patient","id":"p"}"#
        var lines = (1...60_000).map { "\(line.dropLast(2))\($0)\"}" }
        lines[10] = ""
        let bytes = Array(("\u{FEFF}" + lines.joined(separator: "\r\n")).utf8)
        #expect(bytes.count > 2 * InputReader.chunkSize)
        let all = try withFile(bytes) { input in
            try records(NDJSONSource(reader: InputReader(input), maxLineBytes: 1 << 20))
        }
        #expect(all.count == 60_000)
        #expect(all.map(text) == lines)
        #expect(all.map(\.origin.line) == Array(1...60_000))
        #expect(all[10].framingProblem?.message.hasPrefix("empty line") == true)
        #expect(all.filter { $0.framingProblem != nil }.count == 1)
        #expect(all[1].origin.byteOffset == 3 + line.utf8.count + 1 + 2)  // after the BOM and the first line
    }

    @Test func anOverlongLineIsCutToItsStartAndTheNextLineIsIntact() throws {
        let long = "{\"resourceType\":\"Patient\",\"id\":\"" + String(repeating: "x", count: 3 << 20) + "\"}"
        let bytes = Array((long + "\n{\"resourceType\":\"Patient\"}\n").utf8)
        let all = try withFile(bytes) { input in
            try records(NDJSONSource(reader: InputReader(input), maxLineBytes: 1 << 20))
        }
        #expect(all.count == 2)
        #expect(all[0].isTruncated)
        #expect(all[0].framingProblem?.code == .tooLarge)
        #expect(all[0].originalBytes.count == NDJSONSource.truncatedHeadBytes)
        #expect(text(all[1]) == "{\"resourceType\":\"Patient\"}")
        #expect(all[1].origin.line == 2)
    }

    @Test func jsonBundleEntriesAreCutOutWithTheirPositions() throws {
        let json = """
            {"resourceType": "Bundle", "type": "collection", "meta": {"tag": [{"code": "]}{\\"["}]},
             "entry": [
              {"resource": {"resourceType": "Patient", "id": "a"}},
              {"fullUrl": "urn:x", "resource": {"resourceType": "Patient", "name": [{"text": "}\\\\"}]}}
             ],
             "total": 2}
            """
        let all = try withFile(Array(json.utf8), name: "b.json") { input in
            try records(JSONBundleSource(reader: InputReader(input), maxEntryBytes: 1 << 20))
        }
        #expect(
            all.map(text) == [
                #"{"resource": {"resourceType": "Patient", "id": "a"}}"#,
                #"{"fullUrl": "urn:x", "resource": {"resourceType": "Patient", "name": [{"text": "}\\"}]}}"#,
            ])
        #expect(
            all.map(\.origin.position) == [
                .bundleEntry(index: 0, line: 3, column: 3), .bundleEntry(index: 1, line: 4, column: 3),
            ])
    }

    @Test func aLargeJSONBundleStreamsAcrossChunks() throws {
        let entry = #"{"resource":{"resourceType":"Observation","status":"final","note":[{"text":"é ü ß"}]}}"#
        let json =
            #"{"resourceType":"Bundle","type":"collection","entry":["#
            + Array(repeating: entry, count: 40_000).joined(separator: ",") + "]}"
        #expect(json.utf8.count > 3 * InputReader.chunkSize)
        let all = try withFile(Array(json.utf8), name: "big.json") { input in
            try records(JSONBundleSource(reader: InputReader(input), maxEntryBytes: 1 << 20))
        }
        #expect(all.count == 40_000)
        #expect(all.allSatisfy { text($0) == entry })
        // Columns count Unicode scalars, not bytes: the third entry starts after two entries and the prefix.
        let prefix = #"{"resourceType":"Bundle","type":"collection","entry":["#.count
        #expect(all[2].origin.position == .bundleEntry(index: 2, line: 1, column: prefix + 2 * (entry.count + 1) + 1))
    }

    @Test func aTruncatedJSONBundleFailsWithItsPositionAfterTheGoodEntries() throws {
        let json =
            "{\"resourceType\":\"Bundle\",\"entry\":[\n{\"resource\":{\"resourceType\":\"Patient\"}},\n{\"resource\":{\"resourceType\":"
        try withFile(Array(json.utf8), name: "cut.json") { input in
            let source = JSONBundleSource(reader: try InputReader(input), maxEntryBytes: 1 << 20)
            #expect(try source.next() != nil)
            do throws(InputFailure) {
                _ = try source.next()
                Issue.record("a truncated Bundle was read to the end")
            } catch {
                guard case .unusable(let diagnostic, let partial) = error else {
                    Issue.record("not unusable: \(error)"); return
                }
                #expect(diagnostic.message.contains("unexpected end of the input"))
                #expect(diagnostic.location?.line == 3)
                #expect(String(decoding: partial, as: UTF8.self) == #"{"resource":{"resourceType":"#)
            }
            #expect(try source.next() == nil)
        }
    }
}
