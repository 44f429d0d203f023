import FHIRCore
import FHIRJSON
import Testing

/// Each reader limit on FHIR JSON, at the limit (accepted) and just past it (refused with the
/// limit named, and where).
@Suite struct ReadLimitsJSONTests {
    static func patient(id: String) -> [UInt8] {
        Array(#"{"resourceType":"Patient","id":"\#(id)"}"#.utf8)
    }

    static func decoder(_ change: (inout FHIRReadLimits) -> Void) -> FHIRJSONDecoder {
        var limits = FHIRReadLimits.default
        change(&limits)
        return FHIRJSONDecoder(limits: limits)
    }

    static func refusal(_ decoder: FHIRJSONDecoder, _ bytes: [UInt8]) -> FHIRDiagnostic? {
        do {
            _ = try decoder.decode(AnyResource.self, from: bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test func recordBytes() throws {
        let bytes = Self.patient(id: "a1")
        #expect(Self.refusal(Self.decoder { $0.maxRecordBytes = bytes.count }, bytes) == nil)
        let error = try #require(Self.refusal(Self.decoder { $0.maxRecordBytes = bytes.count - 1 }, bytes))
        #expect(error.code == .tooLarge)
        #expect(
            error.message == "a JSON record of \(bytes.count) bytes is too large"
                + " (limit maxRecordBytes = \(bytes.count - 1))")
    }

    @Test func depthCountsObjectsAndArraysAsWritten() throws {
        // Patient (1) › extension array (2) › extension object (3) › valueString.
        let json = Array(#"{"resourceType":"Patient","extension":[{"url":"http://e.org/x","valueString":"v"}]}"#.utf8)
        #expect(Self.refusal(Self.decoder { $0.maxDepth = 3 }, json) == nil)
        let error = try #require(Self.refusal(Self.decoder { $0.maxDepth = 2 }, json))
        #expect(error.code == .tooDeep)
        #expect(error.message == "nesting deeper than 2 levels (limit maxDepth = 2)")
        #expect(error.location?.line == 1)
        #expect(error.location?.column == 40)  // the '{' of the extension
    }

    @Test func stringLengthIsCheckedPerString() throws {
        let id = String(repeating: "a", count: 64)
        let bytes = Self.patient(id: id)
        #expect(Self.refusal(Self.decoder { $0.maxStringBytes = 64 }, bytes) == nil)
        let error = try #require(Self.refusal(Self.decoder { $0.maxStringBytes = 63 }, bytes))
        #expect(error.code == .tooLarge)
        #expect(
            error.message
                == "a string of 64 bytes is too long (limit maxStringBytes = 63)")
        #expect(error.location?.column == 32)  // the opening quote of the id
    }

    @Test func keysAreStringsToo() throws {
        // "resourceType" is the longest string here: 12 bytes.
        let bytes = Self.patient(id: "p")
        #expect(Self.refusal(Self.decoder { $0.maxStringBytes = 12 }, bytes) == nil)
        #expect(Self.refusal(Self.decoder { $0.maxStringBytes = 11 }, bytes)?.code == .tooLarge)
    }

    static func bundle(entries: Int) -> [UInt8] {
        let entry = #"{"resource":{"resourceType":"Patient","id":"p"}}"#
        let list = Array(repeating: entry, count: entries).joined(separator: ",")
        return Array(#"{"resourceType":"Bundle","type":"collection","entry":[\#(list)]}"#.utf8)
    }

    @Test func bundleEntriesInAWholeDocument() throws {
        let bytes = Self.bundle(entries: 3)
        let atLimit = Self.decoder { $0.maxBundleEntries = 3 }
        #expect(try atLimit.decode(Bundle.self, from: bytes).entry.count == 3)
        let error = try #require(Self.refusal(Self.decoder { $0.maxBundleEntries = 2 }, bytes))
        #expect(error.code == .tooLarge)
        #expect(
            error.message
                == "the Bundle has 3 entries, too many (limit maxBundleEntries = 2)"
        )
        #expect(error.fhirPath == "Bundle.entry")
        #expect(error.location?.column == 54)  // the "[" of entry
    }

    @Test func anyArrayOtherThanBundleEntryIsNotCounted() throws {
        // A Patient with three names is not a Bundle: maxBundleEntries does not apply.
        let bytes = Array(#"{"resourceType":"Patient","name":[{"text":"a"},{"text":"b"},{"text":"c"}]}"#.utf8)
        #expect(Self.refusal(Self.decoder { $0.maxBundleEntries = 1 }, bytes) == nil)
    }

    @Test func theLegacyDepthInitializerKeepsTheOtherDefaults() {
        let decoder = FHIRJSONDecoder(maxDepth: 10)
        #expect(decoder.maxDepth == 10)
        #expect(decoder.limits.maxStringBytes == FHIRReadLimits.default.maxStringBytes)
        #expect(FHIRJSONDecoder().limits == FHIRReadLimits.default)
    }

    @Test func jsonTreeAppliesTheLimitsToo() throws {
        var limits = FHIRReadLimits.default
        limits.maxStringBytes = 3
        #expect(throws: FHIRDiagnostic.self) { try JSONTree.parse(Array(#"{"k":"abcd"}"#.utf8), limits: limits) }
        #expect(throws: Never.self) { try JSONTree.parse(Array(#"{"k":"abc"}"#.utf8), limits: limits) }
    }
}
