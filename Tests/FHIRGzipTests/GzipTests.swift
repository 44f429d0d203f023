import FHIRGzip
import Foundation
import Testing

@Suite struct GzipTests {
    private func sample(_ count: Int) -> [UInt8] {
        var state: UInt64 = 42
        return (0..<count).map { index in
            state = state &* 6_364_136_223_846_793_005 &+ 1
            // Half text-like, half noise, so the deflate output has both kinds of block.
            return index % 2 == 0 ? UInt8(ascii: "a") + UInt8(index % 26) : UInt8(truncatingIfNeeded: state >> 33)
        }
    }

    @Test func roundTripsWhatItCompresses() throws {
        for count in [0, 1, 100, 70_000, 300_000] {
            let plain = sample(count)
            let packed = Gzip.compress(plain)
            #expect(Gzip.hasMagic(packed))
            #expect(try Gzip.decompress(packed) == plain, "size \(count)")
        }
    }

    @Test func readsWhatTheGzipCommandWrites() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gzip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let plainURL = directory.appendingPathComponent("records.ndjson")
        let plain = Array("{\"resourceType\":\"Patient\",\"id\":\"p1\"}\n".utf8)
        try Data(plain).write(to: plainURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-k", plainURL.path]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "gzip is needed for this test")
        let packed = try [UInt8](Data(contentsOf: directory.appendingPathComponent("records.ndjson.gz")))
        #expect(try Gzip.decompress(packed) == plain)
    }

    @Test func readsConcatenatedMembersAsOneStream() throws {
        let first = Array("line 1\n".utf8)
        let second = Array("line 2\n".utf8)
        let joined = Gzip.compress(first) + Gzip.compress(second)
        #expect(try Gzip.decompress(joined) == first + second)
    }

    @Test func streamsInSmallChunks() throws {
        let plain = sample(200_000)
        let packed = Gzip.compress(plain, level: 1)
        let inflater = GzipInflater()
        var output: [UInt8] = []
        var offset = 0
        while offset < packed.count {
            let end = min(packed.count, offset + 7)
            try packed[offset..<end].withUnsafeBytes { chunk in
                try inflater.write(chunk) { output.append(contentsOf: $0) }
            }
            offset = end
        }
        try inflater.finish()
        #expect(output == plain)
        #expect(inflater.totalIn == packed.count)
    }

    @Test func refusesTruncatedCorruptAndTrailingGarbage() {
        let packed = Gzip.compress(sample(10_000))
        #expect(throws: GzipError.self) { try Gzip.decompress(Array(packed.dropLast(12))) }
        var corrupt = packed
        corrupt[20] ^= 0xFF
        corrupt[21] ^= 0xFF
        #expect(throws: GzipError.self) { try Gzip.decompress(corrupt) }
        #expect(throws: GzipError.self) { try Gzip.decompress(packed + Array("garbage".utf8)) }
        #expect(throws: GzipError.self) { try Gzip.decompress([]) }
    }

    @Test func stopsABombAtTheLimit() {
        let packed = Gzip.compress([UInt8](repeating: 0, count: 5_000_000))
        #expect(packed.count < 20_000)
        do {
            _ = try Gzip.decompress(packed, maxOutputBytes: 1_000_000)
            Issue.record("expected the limit to stop it")
        } catch {
            #expect(error.message.contains("1000000"))
        }
    }
}
