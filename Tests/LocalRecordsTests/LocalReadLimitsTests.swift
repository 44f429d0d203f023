import FHIRCore
import LocalRecords
import Testing

/// The reader limits on local records: record size and string length, at and past the limit.
@Suite struct LocalReadLimitsTests {
    static let record = #"{"kind":"reaction","id":"r1"}"#

    static func refusal(_ limits: FHIRReadLimits, _ text: String = record) -> LocalRecordError? {
        do {
            _ = try LocalRecordReader(limits: limits).record(fromJSON: Array(text.utf8))
            return nil
        } catch {
            return error
        }
    }

    @Test func recordBytes() throws {
        let size = Self.record.utf8.count
        // At the limit the record is read (and fails later, for its missing fields, not for size).
        #expect(
            Self.refusal(FHIRReadLimits(maxRecordBytes: size))?.diagnostic.message.contains("(limit maxRecordBytes = ")
                != true)
        let error = try #require(Self.refusal(FHIRReadLimits(maxRecordBytes: size - 1)))
        #expect(
            error.diagnostic.message.contains("(limit maxRecordBytes = \(size - 1))")
        )
        #expect(!error.diagnostic.message.contains("not JSON"))
    }

    @Test func stringLength() throws {
        #expect(
            Self.refusal(FHIRReadLimits(maxStringBytes: 8))?.diagnostic.message.contains("(limit maxStringBytes = ")
                != true)
        let error = try #require(Self.refusal(FHIRReadLimits(maxStringBytes: 7)))  // "reaction" is 8 bytes
        #expect(error.diagnostic.message.contains("a string of 8 bytes is too long (limit maxStringBytes = 7"))
    }

    @Test func depthIsHeldToSixteenWhateverTheLimits() throws {
        let deep =
            #"{"kind":"reaction","x":"# + String(repeating: "[", count: 20) + String(repeating: "]", count: 20) + "}"
        let error = try #require(Self.refusal(FHIRReadLimits(maxDepth: 64), deep))
        #expect(error.diagnostic.message.contains("nesting deeper than 16 levels"))
    }
}
