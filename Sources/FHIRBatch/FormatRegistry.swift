public import FHIRCore
public import FHIRElementModel

/// How an input format cuts an input into records.
public enum RecordFraming: Sendable, Hashable {
    /// One record per line (NDJSON; local records).
    case lines
    /// A FHIR JSON document: one record, or one per entry when a Bundle is split.
    case jsonDocument
    /// A FHIR XML document: one record, or one per entry when a Bundle is split.
    case xmlDocument
}

/// An input format `--from` can name: how records are cut out, and how each one is decoded.
public struct InputFormat: Sendable {
    /// The `--from` value (`json`, `xml`, `ndjson`, `local`).
    public var name: String
    /// How records are cut out of an input.
    public var framing: RecordFraming
    /// How each record is decoded.
    public var decoder: any RecordDecoder
    /// One line for `--help`.
    public var summary: String

    /// Creates an input format. Content detection only ever picks `json`, `xml` or `ndjson`;
    /// other formats (local records look like NDJSON) are chosen with `--from NAME`.
    public init(name: String, framing: RecordFraming, decoder: any RecordDecoder, summary: String) {
        self.name = name
        self.framing = framing
        self.decoder = decoder
        self.summary = summary
    }
}

/// An output format `--to` can name.
public struct OutputFormat: Sendable {
    /// The `--to` value (`json`, `xml`, `ndjson`, `local`).
    public var name: String
    /// The extension of files written to `--output-dir` (`json`, `xml`, `ndjson`).
    public var fileExtension: String
    /// Makes the encoder; the argument is `--pretty`.
    public var makeEncoder: @Sendable (_ pretty: Bool) -> any RecordEncoder
    /// One line for `--help`.
    public var summary: String

    /// Creates an output format.
    public init(name: String, fileExtension: String, summary: String,
                makeEncoder: @escaping @Sendable (_ pretty: Bool) -> any RecordEncoder) {
        self.name = name
        self.fileExtension = fileExtension
        self.summary = summary
        self.makeEncoder = makeEncoder
    }
}

/// The one place input and output formats are registered. `convert --from/--to` accept exactly
/// the names registered here.
///
/// To add a format (for example local records, issue 7):
/// ```swift
/// var formats = FormatRegistry.standard(lenient: lenient)
/// formats.register(InputFormat(name: "local", framing: .lines, decoder: LocalRecordDecoder(maps),
///                              summary: "local IVIG records, one JSON object per line"))
/// formats.register(OutputFormat(name: "local", fileExtension: "ndjson", summary: "…") { _ in LocalRecordEncoder(maps) })
/// ```
public struct FormatRegistry: Sendable {
    /// The input formats, in `--help` order.
    public private(set) var inputs: [InputFormat] = []
    /// The output formats, in `--help` order.
    public private(set) var outputs: [OutputFormat] = []

    /// An empty registry.
    public init() {}

    /// FHIR JSON, FHIR XML and NDJSON, both ways.
    /// - Parameters:
    ///   - lenient: decoders drop unknown elements with a warning instead of rejecting.
    ///   - limits: what the decoders accept (``BatchConfiguration/limits`` should be the same).
    ///   - elements: the definitions that type the element model, for the resource types outside
    ///     the generated IVIG set; nil to reject those.
    public static func standard(
        lenient: Bool = false, limits: FHIRReadLimits = .default, elements: FHIRLayoutIndex? = nil
    ) -> FormatRegistry {
        var registry = FormatRegistry()
        let elementReader = elements.map { ElementRecordReader(index: $0, lenient: lenient, limits: limits) }
        let json = FHIRJSONRecordDecoder(lenient: lenient, limits: limits, elements: elementReader)
        registry.register(InputFormat(name: "json", framing: .jsonDocument, decoder: json,
                                      summary: "a FHIR JSON resource or Bundle"))
        registry.register(InputFormat(name: "xml", framing: .xmlDocument, decoder: FHIRXMLRecordDecoder(lenient: lenient, limits: limits, elements: elementReader),
                                      summary: "a FHIR XML resource or Bundle"))
        registry.register(InputFormat(name: "ndjson", framing: .lines, decoder: json,
                                      summary: "FHIR resources, one JSON object per line (Bulk Data)"))
        registry.register(OutputFormat(name: "json", fileExtension: "json", summary: "FHIR JSON") { FHIRJSONRecordEncoder(pretty: $0) })
        registry.register(OutputFormat(name: "xml", fileExtension: "xml", summary: "FHIR XML") { FHIRXMLRecordEncoder(pretty: $0) })
        registry.register(OutputFormat(name: "ndjson", fileExtension: "ndjson", summary: "one resource per line") { _ in NDJSONRecordEncoder() })
        return registry
    }

    /// Adds an input format, replacing one of the same name.
    public mutating func register(_ format: InputFormat) {
        inputs.removeAll { $0.name == format.name }
        inputs.append(format)
    }

    /// Adds an output format, replacing one of the same name.
    public mutating func register(_ format: OutputFormat) {
        outputs.removeAll { $0.name == format.name }
        outputs.append(format)
    }

    /// The input format named `name`.
    public func input(named name: String) -> InputFormat? { inputs.first { $0.name == name } }

    /// The output format named `name`.
    public func output(named name: String) -> OutputFormat? { outputs.first { $0.name == name } }

    /// The format detection chose for a layout.
    func input(for layout: InputLayout) -> InputFormat? {
        switch layout {
        case .jsonResource, .jsonBundle: input(named: "json")
        case .xmlResource, .xmlBundle: input(named: "xml")
        case .ndjson: input(named: "ndjson")
        }
    }
}
