public import FHIRCore
public import FHIRElementModel

// The extension points of a batch. A record goes through three stages, each on a worker thread:
//
//     RawRecord ──RecordDecoder──► DecodedRecord ──RecordCheck*──► ──RecordEncoder──► bytes
//
// A new input format (such as local records, `--from local`) is one `RecordDecoder` conformance
// plus one `InputFormat` registered in `FormatRegistry`; a new output format (`--to local`) is one
// `RecordEncoder` plus one `OutputFormat`; a per-record check (`convert --validate`) is one
// `RecordCheck` appended to `BatchConfiguration.checks`. Nothing else in the pipeline changes:
// ordering, parallelism, rejects, counts and atomic output come with it.

/// The resources one record gave, and the warnings on the way (dropped unknown elements, …).
public struct DecodedRecord: Sendable {
    /// The resources, in order. One for FHIR formats; a local record may give several
    /// (Patient, MedicationRequest, Observation…).
    public var resources: [AnyResource]
    /// Resources of the types outside the generated IVIG set, read into the element model
    /// (after ``resources`` in the output). A Bundle or a resource holding any such resource
    /// is read this way whole.
    public var elements: [FHIRElement]
    /// Warnings to show; they do not reject the record.
    public var warnings: [FHIRDiagnostic]

    /// Creates a decoded record.
    public init(resources: [AnyResource], elements: [FHIRElement] = [], warnings: [FHIRDiagnostic] = []) {
        self.resources = resources
        self.elements = elements
        self.warnings = warnings
    }
}

/// Turns a raw record into resources. One conformance per input format.
///
/// Called concurrently from several worker threads, so it must be `Sendable` and keep no
/// mutable state between calls.
public protocol RecordDecoder: Sendable {
    /// Decodes one record.
    /// - Parameter record: its bytes (or parsed XML entry) and origin. Positions in a thrown
    ///   diagnostic may be relative to the record's bytes; translate them with
    ///   ``RecordOrigin/inInput(_:)`` so they name the line and column in the input.
    /// - Throws: ``FHIRDiagnostic`` (message, FHIRPath, location): the record is rejected with it.
    func decode(_ record: RawRecord) throws(FHIRDiagnostic) -> DecodedRecord
}

/// How an output format lays records out.
public enum OutputShape: Sendable, Hashable {
    /// One record per line (NDJSON, local records): any number of records per output, no
    /// `--bundle`, no `--pretty`. Encoded bytes must not contain a line break.
    case lines
    /// A document per output holding one resource, or a `--bundle` of them. The syntax says how
    /// to find an entry inside an encoded Bundle (see ``BundleFraming``).
    case documents(BundleSyntax)
}

/// The Bundle syntax of a document format, for streaming a collection Bundle entry by entry.
public enum BundleSyntax: Sendable, Hashable {
    case json, xml
}

/// Turns a resource into output bytes. One conformance per output format.
///
/// Called concurrently from several worker threads; must keep no mutable state between calls.
public protocol RecordEncoder: Sendable {
    /// How records are laid out in an output.
    var shape: OutputShape { get }
    /// Encodes one resource (with ``OutputShape/documents(_:)``, also a whole collection Bundle).
    /// - Throws: ``FHIRDiagnostic``: the record is rejected with it.
    func encode(_ resource: AnyResource) throws(FHIRDiagnostic) -> [UInt8]
    /// One entry of the collection Bundle ``encode(_:)`` writes, as it sits inside it (see
    /// ``BundleFraming``), written directly; nil to have the entry cut out of a one-entry Bundle.
    func encodeBundleEntry(_ resource: AnyResource) -> [UInt8]?
    /// Encodes one resource of the element model (a type outside the IVIG set).
    /// - Throws: ``FHIRDiagnostic``: the record is rejected with it. By default every such
    ///   resource is rejected: a format that maps only the IVIG set (`--to local`) says so.
    func encode(element: FHIRElement) throws(FHIRDiagnostic) -> [UInt8]
}

extension RecordEncoder {
    /// By default every entry is cut out of a one-entry Bundle.
    public func encodeBundleEntry(_ resource: AnyResource) -> [UInt8]? { nil }

    public func encode(element: FHIRElement) throws(FHIRDiagnostic) -> [UInt8] {
        throw FHIRDiagnostic(
            code: .unsupportedResourceType,
            message: "a \(element.typeName) cannot be written in this format: it maps only the IVIG resource types"
                + " (\(AnyResource.supportedTypes.joined(separator: ", ")))",
            fhirPath: element.typeName)
    }
}

/// A check on each decoded record, between decoding and encoding (`convert --validate`).
///
/// Findings of severity `.error` reject the record (all of them go to the reject output);
/// warnings are shown and the record is written. Called concurrently from worker threads.
/// A check sees one record at a time; context across records is not available here.
public protocol RecordCheck: Sendable {
    /// The findings for one record; positions as for ``RecordDecoder/decode(_:)``.
    func check(_ record: DecodedRecord, origin: RecordOrigin) -> [FHIRDiagnostic]
}
