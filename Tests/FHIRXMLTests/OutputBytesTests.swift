import Testing

@testable import FHIRJSON
@testable import FHIRXML

/// The fast writers' buffer (one source compiled into FHIRJSON and into FHIRXML)
/// copies names of up to 16 bytes as overlapping words: every length around the word sizes, at
/// odd offsets and across the buffer's growth, gives the same bytes.
@Suite struct OutputBytesTests {
    static let texts: [StaticString] = [
        "", "a", "ab", "abc", "abcd", "abcde", "abcdef", "abcdefg", "abcdefgh", "abcdefghi", "abcdefghij",
        "abcdefghijk", "abcdefghijkl", "abcdefghijklm", "abcdefghijklmn", "abcdefghijklmno",
        "abcdefghijklmnop", "abcdefghijklmnopq", "abcdefghijklmnopqrstuvwx", "valueCodeableConcept",
    ]

    /// Appends every text (forwards, then backwards), each after one marker byte that shifts it
    /// to a new offset; returns the bytes that should result.
    static func appendAll(byte appendByte: (UInt8) -> Void, text appendText: (StaticString) -> Void) -> [UInt8] {
        var expected: [UInt8] = []
        for (round, text) in (texts + texts.reversed()).enumerated() {
            appendByte(UInt8(truncatingIfNeeded: round))
            expected.append(UInt8(truncatingIfNeeded: round))
            appendText(text)
            expected += UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
        }
        return expected
    }

    @Test func jsonWriterBufferCopiesTextsOfEveryLengthExactly() {
        let out = FHIRJSON.OutputBytes(capacity: 4)
        let expected = Self.appendAll(byte: { out.append($0) }, text: { out.append($0) })
        #expect(out.bytes == expected)
    }

    @Test func xmlWriterBufferCopiesTextsOfEveryLengthExactly() {
        let out = FHIRXML.OutputBytes(capacity: 4)
        let expected = Self.appendAll(byte: { out.append($0) }, text: { out.append($0) })
        #expect(out.bytes == expected)
    }
}
