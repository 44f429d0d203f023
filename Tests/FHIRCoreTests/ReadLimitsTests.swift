import FHIRCore
import Testing

/// The shared reader limits: defaults, the limits named in messages and advice added to them, and
/// size parsing.
@Suite struct ReadLimitsTests {
    @Test func defaultsAreTheDocumentedOnes() {
        let limits = FHIRReadLimits.default
        #expect(limits.maxRecordBytes == 64 * 1024 * 1024)
        #expect(limits.maxDepth == 64)
        #expect(limits.maxStringBytes == 8 * 1024 * 1024)
        #expect(limits.maxBundleEntries == 1_000_000)
    }

    @Test func anExceededLimitNamesItsValue() {
        let depth = FHIRReadLimits.exceeded(.maxDepth, value: 7, "nesting deeper than 7 levels")
        #expect(depth.code == .tooDeep)
        #expect(depth.message == "nesting deeper than 7 levels (limit maxDepth = 7)")
        let string = FHIRReadLimits.exceeded(
            .maxStringBytes, value: 10, "a string of 11 bytes is too long", fhirPath: "Patient.id")
        #expect(string.code == .tooLarge)
        #expect(string.message.hasSuffix("(limit maxStringBytes = 10)"))
        #expect(string.fhirPath == "Patient.id")
    }

    @Test func aToolAddsItsAdviceToEachLimitAMessageNames() {
        let advice: (FHIRReadLimits.Limit) -> String? = { $0 == .maxBundleEntries ? nil : "change \($0.rawValue)" }
        let message =
            "nesting deeper than 7 levels (limit maxDepth = 7), then (limit maxStringBytes = 10) and"
            + " (limit maxBundleEntries = 3)"
        #expect(
            FHIRReadLimits.advising(message, with: advice)
                == "nesting deeper than 7 levels (limit maxDepth = 7; change maxDepth), then"
                + " (limit maxStringBytes = 10; change maxStringBytes) and (limit maxBundleEntries = 3)")
        // A hint right after a stray parenthesis or a broken start is still found.
        for (text, advised) in [
            ("((limit maxDepth = 7)", "((limit maxDepth = 7; change maxDepth)"),
            ("(limi(limit maxDepth = 7)", "(limi(limit maxDepth = 7; change maxDepth)"),
        ] {
            #expect(FHIRReadLimits.advising(text, with: advice) == advised)
        }
        // Only the hint's own form is advised: not a limit that does not exist, nor a value that is no number.
        for untouched in ["(limit maxSize = 7)", "(limit maxDepth = seven)", "(limit maxDepth = 7", "no limit", ""] {
            #expect(FHIRReadLimits.advising(untouched, with: advice) == untouched)
        }
    }

    @Test(arguments: [
        ("1", 1), ("1048576", 1 << 20), ("512K", 512 << 10), ("512k", 512 << 10), ("64M", 64 << 20),
        ("64MiB", 64 << 20),
        ("1G", 1 << 30), ("2gib", 2 << 30),
    ])
    func sizesAcceptBytesAndBinarySuffixes(text: String, bytes: Int) {
        #expect(FHIRReadLimits.parseByteSize(text) == bytes)
    }

    @Test(arguments: ["", "0", "0M", "-1", "1.5M", "12Q", "M", "64 M", "99999999999999999999", "9999999999999G", "+4"])
    func badSizesAreRefused(text: String) {
        #expect(FHIRReadLimits.parseByteSize(text) == nil)
    }

    @Test func countsAreWholePositiveNumbers() {
        #expect(FHIRReadLimits.parseCount("64") == 64)
        #expect(FHIRReadLimits.parseCount("1000000") == 1_000_000)
        for bad in ["", "0", "-3", "1K", "2.0", " 5"] { #expect(FHIRReadLimits.parseCount(bad) == nil, "\(bad)") }
    }
}
