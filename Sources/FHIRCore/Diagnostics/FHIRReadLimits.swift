/// The bounds every reader (FHIR JSON, FHIR XML, NDJSON, local records) applies to its input, so
/// a broken or crafted file fails one record with a clear error instead of exhausting memory or
/// the stack, and the rest of a batch goes on.
///
/// The defaults are what a hospital would choose: far above any real clinical record, far below
/// what would hurt the machine. Errors name the limit and its value (`(limit maxDepth = 64)`);
/// a tool adds how its users change it (``advising(_:with:)``).
///
/// ```swift
/// var limits = FHIRReadLimits.default
/// limits.maxStringBytes = 32 << 20   // scanned documents of 20 MiB in Attachment.data
/// let decoder = FHIRJSONDecoder(limits: limits)
/// ```
public struct FHIRReadLimits: Hashable, Sendable {
    /// The largest single record, in bytes: one resource document, one NDJSON line, one Bundle
    /// entry, one local record. Default 64 MiB.
    ///
    /// A streamed Bundle (NDJSON output, `--split`) has no limit on the whole file; each entry
    /// is held to this. A Bundle read as one document is one record.
    public var maxRecordBytes: Int
    /// The deepest nesting as written, counting the outermost level as 1: JSON objects and
    /// arrays; XML elements, narrative XHTML included. Default 64.
    ///
    /// Real resources need under 20 (in XML a few more, since primitives are elements and the
    /// narrative nests); the limit keeps hostile nesting from exhausting the stack.
    public var maxDepth: Int
    /// The longest single string, in bytes: a JSON string, an XML attribute value or text node.
    /// Default 8 MiB.
    ///
    /// Why this much: `Attachment.data` carries a whole file in base64, and a scanned page or a
    /// short PDF report (up to about 6 MiB before encoding) fits; nothing else in FHIR comes close.
    public var maxStringBytes: Int
    /// The most entries in one Bundle, whether read whole or streamed entry by entry. Default
    /// 1,000,000. In a stream, each entry past the limit is rejected on its own, so counts add up.
    public var maxBundleEntries: Int

    /// Creates limits; each default suits clinical data.
    public init(
        maxRecordBytes: Int = 64 << 20, maxDepth: Int = 64, maxStringBytes: Int = 8 << 20,
        maxBundleEntries: Int = 1_000_000
    ) {
        self.maxRecordBytes = maxRecordBytes
        self.maxDepth = maxDepth
        self.maxStringBytes = maxStringBytes
        self.maxBundleEntries = maxBundleEntries
    }

    /// The default limits.
    public static let `default` = FHIRReadLimits()

    /// One of the limits, for messages that name it.
    public enum Limit: String, Hashable, Sendable, CaseIterable {
        /// ``FHIRReadLimits/maxRecordBytes``.
        case maxRecordBytes
        /// ``FHIRReadLimits/maxDepth``.
        case maxDepth
        /// ``FHIRReadLimits/maxStringBytes``.
        case maxStringBytes
        /// ``FHIRReadLimits/maxBundleEntries``.
        case maxBundleEntries
    }

    /// The value of one limit.
    public subscript(limit: Limit) -> Int {
        switch limit {
        case .maxRecordBytes: maxRecordBytes
        case .maxDepth: maxDepth
        case .maxStringBytes: maxStringBytes
        case .maxBundleEntries: maxBundleEntries
        }
    }

    /// The text every reader appends to a limit error, so they all read alike and a tool can
    /// find it to add its advice (``advising(_:with:)``): `(limit maxDepth = 64)`.
    public static func hint(_ limit: Limit, value: Int) -> String {
        "(limit \(limit.rawValue) = \(value))"
    }

    /// `message` with advice added to each limit it names in a ``hint(_:value:)``: a command-line
    /// tool says which option changes the limit, `(limit maxDepth = 64)` becoming
    /// `(limit maxDepth = 64; change it with --max-depth)`.
    /// - Parameter advice: the words for a limit, or nil to add none.
    public static func advising(_ message: String, with advice: (Limit) -> String?) -> String {
        // Most messages name no limit: told by their bytes, without a search by characters.
        guard Self.containsLimitHint(message.utf8) else { return message }
        var result = ""
        var rest = Substring(message)
        while let start = rest.firstRange(of: "(limit ") {
            result += rest[..<start.upperBound]
            rest = rest[start.upperBound...]
            // `NAME = DIGITS)`: the hint's form, nothing else.
            guard let equals = rest.firstRange(of: " = "),
                let limit = Limit(rawValue: String(rest[..<equals.lowerBound])),
                let close = rest[equals.upperBound...].firstIndex(of: ")"),
                rest[equals.upperBound..<close].allSatisfy({ $0.isASCII && $0.isNumber }),
                let words = advice(limit)
            else { continue }
            result += rest[..<close] + "; " + words
            rest = rest[close...]
        }
        return result + rest
    }

    private static let limitHint = Array("(limit ".utf8)

    /// Whether the text holds `(limit `, the start of a hint.
    private static func containsLimitHint(_ text: String.UTF8View) -> Bool {
        let hint = limitHint
        var matched = 0
        for byte in text {
            if byte == hint[matched] {
                matched += 1
                if matched == hint.count { return true }
            } else {
                matched = byte == hint[0] ? 1 : 0
            }
        }
        return false
    }

    /// The error for input past a limit: `tooDeep` for depth, `tooLarge` for the others.
    /// - Parameters:
    ///   - limit: which limit.
    ///   - value: its value.
    ///   - what: what was found, for a person: `"a string of 9000001 bytes"`.
    ///   - fhirPath: the element, when known.
    ///   - location: where, when known.
    public static func exceeded(
        _ limit: Limit, value: Int, _ what: String, fhirPath: String? = nil, location: SourceLocation? = nil
    ) -> FHIRDiagnostic {
        FHIRDiagnostic(
            code: limit == .maxDepth ? .tooDeep : .tooLarge, message: "\(what) \(hint(limit, value: value))",
            fhirPath: fhirPath, location: location)
    }
}
