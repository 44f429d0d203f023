import Testing

@testable import FHIRJSON

/// The fast writer's buffer copies names of up to 16 bytes as overlapping words: every length
/// around the word sizes, at odd offsets and across the buffer's growth, gives the same bytes.
@Suite struct OutputBytesTests {
    static let texts: [StaticString] = [
        "", "a", "ab", "abc", "abcd", "abcde", "abcdef", "abcdefg", "abcdefgh", "abcdefghi", "abcdefghij",
        "abcdefghijk", "abcdefghijkl", "abcdefghijklm", "abcdefghijklmn", "abcdefghijklmno",
        "abcdefghijklmnop", "abcdefghijklmnopq", "abcdefghijklmnopqrstuvwx", "valueCodeableConcept",
    ]

    @Test func staticTextsOfEveryLengthAreCopiedExactly() {
        let out = OutputBytes(capacity: 4)
        var expected: [UInt8] = []
        for (round, text) in (Self.texts + Self.texts.reversed()).enumerated() {
            out.append(UInt8(truncatingIfNeeded: round))  // shifts the next copy to a new offset
            expected.append(UInt8(truncatingIfNeeded: round))
            out.append(text)
            expected += UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
        }
        #expect(out.bytes == expected)
        #expect(out.count == expected.count)
    }
}
