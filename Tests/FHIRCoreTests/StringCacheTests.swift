import Testing

@testable import FHIRCore

/// The fast readers' string cache hands out, for the same bytes, the string it made before, and
/// for any bytes a string equal to them, whatever was cached (its slots are overwritten).
@Suite struct StringCacheTests {
    static func string(_ text: String, from cache: FHIRStringCache) -> String {
        Array(text.utf8).withUnsafeBufferPointer { cache.string($0) }
    }

    /// Where a string's bytes live (nil for one held inside the `String` value itself).
    static func storage(_ string: String) -> UnsafeRawPointer? {
        guard string.utf8.count > 15 else { return nil }
        return string.utf8.withContiguousStorageIfAvailable { UnsafeRawPointer($0.baseAddress) } ?? nil
    }

    @Test func aRepeatedStringIsTheOneMadeBefore() {
        FHIRStringCache.withCache { cache in
            let url = "http://terminology.hl7.org/CodeSystem/observation-category"
            let first = Self.string(url, from: cache)
            let second = Self.string(url, from: cache)
            #expect(first == url && second == url)
            #expect(Self.storage(first) != nil)
            #expect(Self.storage(first) == Self.storage(second), "the second string was made again")
        }
    }

    /// Every length around the bounds (15 and 16 bytes, 96 and 97), non-ASCII text, and 20,000
    /// URLs differing in one place (start, middle or end), far more than the slots: each string
    /// read, then read again in the opposite order, equals its bytes.
    @Test func everyStringEqualsItsBytesWhateverWasCachedBefore() {
        var texts: [String] = (1...100).map { String(repeating: "a", count: $0) }
        texts += ["Müller-Lüdenscheidt, Jürgen", "免疫グロブリン静注療法の投与記録", "🧪 IVIG infusion-rate-step 🩸"]
        for index in 0..<20_000 {
            switch index % 3 {
            case 0: texts.append("\(index)-http://example.org/fhir/StructureDefinition/step")
            case 1: texts.append("http://example.org/fhir/\(index)/StructureDefinition/step")
            default: texts.append("http://example.org/fhir/StructureDefinition/step-\(index)")
            }
        }
        FHIRStringCache.withCache { cache in
            var wrong: [String] = []
            for text in texts + texts.reversed() where Self.string(text, from: cache) != text {
                wrong.append(text)
            }
            #expect(wrong.isEmpty, "\(wrong.count) strings differ from their bytes, first \(wrong.first ?? "")")
        }
    }
}
