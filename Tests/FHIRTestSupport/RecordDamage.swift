/// One way of breaking an NDJSON record, as a fuzzer or a careless system would, and what the
/// readers must make of it. The conservation tests damage a generated batch with every kind in
/// ``catalogue`` and check that each record ends where this says.
///
/// Adding a damage is one line in ``catalogue``: a name, the outcome, and a function from the
/// record's bytes (one compact JSON object, no line break) to the damaged line.
public struct RecordDamage: Sendable, CustomStringConvertible {
    /// What a damaged record must come to.
    public enum Outcome: Sendable {
        /// Rejected by `convert` with reject `code` and a `message` containing the fragment;
        /// `validate` reports a finding of `severity` and `rule` at the record's line, whose text
        /// contains the same fragment.
        case rejected(code: String, message: String, validate: ValidateFinding)
        /// Still a valid record (the damage was in the line's framing: CRLF, a byte order mark):
        /// converted, equal to the record before the damage.
        case acceptedAsOriginal
        /// Still valid FHIR, however odd: converted, equal to the damaged record.
        case acceptedAsDamaged
    }

    /// The finding `validate` gives a rejected record.
    public struct ValidateFinding: Sendable {
        /// `fatal` (not FHIR at all) or `error`.
        public var severity: String
        /// The rule id, e.g. `struct-syntax`.
        public var rule: String
        /// Whether the record is still checked (read leniently) after the finding.
        public var stillChecked: Bool
        /// What validate's finding says, when it words the problem otherwise than `convert`'s
        /// reject (validation reads on past a value the typed readers stop at).
        public var message: String? = nil

        /// Not FHIR at all: `fatal`, `struct-syntax`, not checked.
        public static let syntax = ValidateFinding(severity: "fatal", rule: "struct-syntax", stillChecked: false)
        /// Past a reader limit (`--max-*`): `fatal`, not checked further.
        public static let limit = ValidateFinding(severity: "fatal", rule: "struct-limit", stillChecked: false)

        /// FHIR breaking a rule the model enforces: `error` with `rule`, not checked further.
        public static func error(_ rule: String, message: String? = nil) -> ValidateFinding {
            ValidateFinding(
                severity: "error", rule: rule, stillChecked: rule == "struct-unknown-element", message: message)
        }
    }

    /// Says what the damage is, in the test's messages.
    public let name: String
    /// What `convert` and `validate` must make of the damaged record.
    public let outcome: Outcome
    /// Makes the damaged line from the record's bytes (and a generator, for random damage).
    public typealias Make = @Sendable ([UInt8], inout SeededGenerator) -> [UInt8]

    private let make: Make

    /// A damage named `name` with its `outcome`, made by `make` from the record's bytes.
    public init(_ name: String, _ outcome: Outcome, _ make: @escaping Make) {
        self.name = name
        self.outcome = outcome
        self.make = make
    }

    /// The damaged line for `record` (which holds no line break; neither does the result).
    public func apply(to record: [UInt8], random: inout SeededGenerator) -> [UInt8] {
        make(record, &random)
    }

    public var description: String { name }

    /// Whether `convert` must reject the damaged record.
    public var isRejected: Bool {
        if case .rejected = outcome { return true }
        return false
    }

    // MARK: The catalogue

    /// Every kind of damage the conservation tests apply: what the fuzzers find interesting.
    public static let catalogue: [RecordDamage] = [
        RecordDamage("truncated JSON", rejected("syntax", "end of input", .syntax)) { record, _ in
            Array(record.prefix(record.count / 2))
        },
        RecordDamage("invalid UTF-8", rejected("invalid-utf8", "invalid UTF-8 byte 0xFF", .syntax),
                     member(Array(#""implicitRules":"http://example.org/"#.utf8) + [0xFF] + [0x22])),
        RecordDamage("a NUL byte in a string", rejected("invalid-escape", "control character U+00", .syntax),
                     member(Array(#""implicitRules":"http://example.org/"#.utf8) + [0x00] + [0x22])),
        RecordDamage("an unpaired surrogate escape", rejected("invalid-escape", "high surrogate without a low surrogate", .syntax),
                     member(#""implicitRules":"http://example.org/\uD800""#)),
        RecordDamage("a bad escape", rejected("invalid-escape", #"'\q' is not a JSON escape"#, .syntax),
                     member(#""implicitRules":"http://example.org/\q""#)),
        RecordDamage("a duplicate key", rejected("duplicate-key", "duplicate key 'implicitRules'", .syntax),
                     member(#""implicitRules":"http://a.example","implicitRules":"http://b.example""#)),
        RecordDamage("a wrong resourceType", rejected("unsupported-resource-type", "unsupported resource type 'Prescription'",
                                                      .error("struct-resource-type")),
                     member(#""resourceType":"Prescription""#, replacingFirstKey: true)),
        RecordDamage("an unknown element", rejected("unknown-element", "unknown element 'colour'", .error("struct-unknown-element")),
                     member(#""colour":"blue""#)),
        RecordDamage("an empty object", rejected("empty-value", "empty object", .syntax), member(#""extension":[{}]"#)),
        RecordDamage("an empty array", rejected("empty-value", "empty array", .syntax), member(#""extension":[]"#)),
        RecordDamage("an empty string", rejected("empty-value", "empty string", .syntax), member(#""language":"""#)),
        RecordDamage("a number where a string belongs", rejected("wrong-type", "expected a string for 'language', found the number 42",
                                                                 .error("struct-type")),
                     member(#""language":42"#)),
        RecordDamage("a malformed date", rejected("invalid-primitive", "'2024-13-45' is not a valid FHIR date", .error("struct-format")),
                     member(extensionWith(#""valueDate":"2024-13-45""#))),
        RecordDamage("a day that does not exist",
                     rejected("invalid-primitive", "'2023-02-29' is not a valid FHIR date", .error("struct-format")),
                     member(extensionWith(#""valueDate":"2023-02-29""#))),
        RecordDamage("a decimal with a leading zero", rejected("invalid-number", "'007.5' has a leading zero", .syntax),
                     member(extensionWith(#""valueDecimal":007.5"#))),
        RecordDamage("an exponent without digits", rejected("invalid-number", "an exponent needs digits", .syntax),
                     member(extensionWith(#""valueDecimal":1.5e"#))),
        RecordDamage("deeply nested arrays", rejected("too-deep", "change it with --max-depth", .limit),
                     member(#""extension":"# + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000))),
        RecordDamage("a huge integer", rejected("invalid-number", "does not fit in Int32",
                                                .error("struct-format", message: "is not a valid FHIR integer")),
                     member(extensionWith(#""valueInteger":99999999999999999999999"#))),
        RecordDamage("JSON that is an array", rejected("wrong-type", "expected an object for the document, found an array",
                                                       .error("struct-type"))) { record, _ in
            Array("[".utf8) + record + Array("]".utf8)
        },
        RecordDamage("JSON that is a bare string", rejected("wrong-type", "expected an object for the document, found a string",
                                                            .error("struct-type"))) { _, _ in
            Array(#""Patient""#.utf8)
        },
        RecordDamage("an empty line", rejected("syntax", "empty line", .syntax)) { _, _ in [] },
        RecordDamage("a line of spaces", rejected("syntax", "empty line", .syntax)) { _, _ in Array("    \t  ".utf8) },
        RecordDamage("an XML fragment", rejected("syntax", "unexpected '<'", .syntax)) { _, _ in
            Array(#"<Patient xmlns="http://hl7.org/fhir"><id value="x"/></Patient>"#.utf8)
        },
        RecordDamage("binary garbage (a gzip header)", rejected("syntax", "unexpected byte 0x1F", .syntax)) { _, random in
            [0x1F, 0x8B, 0x08, 0x00] + (0..<200).map { _ in random.byte(except: [0x0A, 0x0D]) }
        },
        RecordDamage("a lone low surrogate escape", rejected("invalid-escape", "lone low surrogate", .syntax),
                     member(#""implicitRules":"http://example.org/\uDC00""#)),
        RecordDamage("an overlong UTF-8 sequence", rejected("invalid-utf8", "invalid UTF-8 byte 0xC0", .syntax),
                     member(Array(#""implicitRules":"http://example.org/"#.utf8) + [0xC0, 0xAF, 0x22])),
        RecordDamage("a surrogate encoded in UTF-8", rejected("invalid-utf8", "invalid UTF-8 byte 0xED", .syntax),
                     member(Array(#""implicitRules":"http://example.org/"#.utf8) + [0xED, 0xA0, 0x80, 0x22])),
        RecordDamage("a null value", rejected("unexpected-null", "'language' is null", .syntax), member(#""language":null"#)),
        RecordDamage("two choices of value[x]", rejected("multiple-choices", "more than one choice of value[x]",
                                                         .error("struct-choice-multiple")),
                     member(extensionWith(#""valueString":"a","valueInteger":1"#))),
        RecordDamage("an integer with a fraction", rejected("wrong-type", "expected an integer, found 1.0", .error("struct-type")),
                     member(extensionWith(#""valueInteger":1.0"#))),
        RecordDamage("NaN", rejected("invalid-number", "'NaN' is not a JSON number", .syntax),
                     member(extensionWith(#""valueDecimal":NaN"#))),
        RecordDamage("no resourceType", rejected("missing", "missing 'resourceType'", .syntax)) { record, _ in
            [UInt8(ascii: "{")] + record.drop { $0 != UInt8(ascii: ",") }.dropFirst()
        },
        RecordDamage("a trailing comma", rejected("syntax", "expected a quoted key, found '}'", .syntax)) { record, _ in
            record.dropLast() + Array(",}".utf8)
        },
        RecordDamage("two records on one line", rejected("syntax", "after the end of the JSON value", .syntax)) { record, _ in
            record + record
        },
        // Past the lowered limits the conservation test passes to both commands (16 KiB strings,
        // 128 KiB records). The record stays under the 256 KiB that content detection reads, so a
        // first line this long is still seen to be one NDJSON record among others.
        RecordDamage("a string past --max-string-bytes", rejected("too-large", "change it with --max-string-bytes", .limit),
                     member(#""implicitRules":"http://example.org/"# + String(repeating: "x", count: 20_000) + "\"")),
        RecordDamage("a record past --max-record-bytes", rejected("too-large", "change it with --max-record-bytes", .limit)) { record, _ in
            [UInt8(ascii: "{")] + Array(repeating: UInt8(ascii: " "), count: 150_000) + record.dropFirst()
        },
        // Found by the round-trip fuzz target: read from JSON, then not writable as XML.
        RecordDamage("a control character escape", rejected("invalid-escape", "U+0001 is a control character", .syntax),
                     member(#""implicitRules":"http://example.org/\u0001""#)),
        RecordDamage("a CRLF line end", .acceptedAsOriginal) { record, _ in record + [0x0D] },
        RecordDamage("a byte order mark", .acceptedAsOriginal) { record, _ in [0xEF, 0xBB, 0xBF] + record },
        // FHIR's decimal has no limit on digits or exponent (its JSON regex allows both): kept exactly.
        RecordDamage("a decimal of 5,000 digits", .acceptedAsDamaged,
                     member(extensionWith(#""valueDecimal":"# + String(repeating: "9", count: 5_000)))),
        RecordDamage("an exponent beyond any float", .acceptedAsDamaged,
                     member(extensionWith(#""valueDecimal":1e99999999999999999999"#))),
    ]

    private static func rejected(_ code: String, _ message: String, _ validate: ValidateFinding) -> Outcome {
        .rejected(code: code, message: message, validate: validate)
    }

    /// An extension on the resource holding `value` (a `"valueX":…` member).
    private static func extensionWith(_ value: String) -> String {
        #""extension":[{"url":"http://example.org/conservation","# + value + "}]"
    }

    /// Puts `text` first in the record's top-level object (or, with `replacingFirstKey`, in
    /// place of its first member, which is `resourceType` in every record we write).
    private static func member(_ text: String, replacingFirstKey: Bool = false) -> Make {
        member(Array(text.utf8), replacingFirstKey: replacingFirstKey)
    }

    private static func member(_ bytes: [UInt8], replacingFirstKey: Bool = false) -> Make {
        { record, _ in
            precondition(record.first == UInt8(ascii: "{"), "a record is a JSON object")
            var rest = record.dropFirst()
            if replacingFirstKey, let comma = rest.firstIndex(of: UInt8(ascii: ",")) { rest = rest[(comma + 1)...] }
            return [UInt8(ascii: "{")] + bytes + [UInt8(ascii: ",")] + rest
        }
    }
}

/// A small deterministic generator (SplitMix64): the same seed damages the same records the same way.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose sequence depends only on `seed`.
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A random byte that is none of `excluded`.
    public mutating func byte(except excluded: Set<UInt8>) -> UInt8 {
        while true {
            let candidate = UInt8.random(in: 0...255, using: &self)
            if !excluded.contains(candidate) { return candidate }
        }
    }
}

/// A batch of NDJSON records with some of them damaged: which, how, and the bytes of the file.
public struct DamagedBatch: Sendable {
    /// One line of the damaged file.
    public struct Line: Sendable {
        /// 1-based line number in the file.
        public var number: Int
        /// The record as generated.
        public var original: [UInt8]
        /// The line as written to the file (without its line break).
        public var written: [UInt8]
        /// The damage applied, if any.
        public var damage: RecordDamage?
    }

    /// Every line, in file order.
    public var lines: [Line]

    /// The file's bytes: every line followed by `\n`.
    public var bytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(lines.reduce(0) { $0 + $1.written.count + 1 })
        for line in lines {
            bytes += line.written
            bytes.append(0x0A)
        }
        return bytes
    }

    /// The lines that carry a damage, in file order.
    public var damaged: [Line] { lines.filter { $0.damage != nil } }

    /// Damages `copies` records with each kind of `damages`, at places chosen by `seed`: always
    /// the first and the last record, the others spread at random over the file.
    ///
    /// - Precondition: there are more records than damages.
    public init(records: [[UInt8]], damages: [RecordDamage] = RecordDamage.catalogue, copies: Int = 2, seed: UInt64) {
        precondition(records.count > damages.count * copies + 2, "too few records to damage")
        var random = SeededGenerator(seed: seed)
        var places: Set<Int> = [0, records.count - 1]
        while places.count < damages.count * copies {
            places.insert(Int.random(in: 0..<records.count, using: &random))
        }
        let kinds = (0..<copies).flatMap { _ in damages }.shuffled(using: &random)
        let damageAt = Dictionary(uniqueKeysWithValues: zip(places.sorted(), kinds))
        lines = records.enumerated().map { index, record in
            let damage = damageAt[index]
            let written = damage.map { $0.apply(to: record, random: &random) } ?? record
            return Line(number: index + 1, original: record, written: written, damage: damage)
        }
    }
}
