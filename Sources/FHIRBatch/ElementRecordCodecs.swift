public import FHIRCore
public import FHIRElementModel
import FHIRJSON
import FHIRXML

// The element model's side of the FHIR codecs: resources of the types outside the generated
// IVIG set. A record is decoded on the typed path first; when that path meets a resource type it
// does not cover (the record's own, a Bundle entry's, a contained one), the record is read
// into the element model whole instead. Streamed Bundles are decided entry by entry.

/// Reads records into the element model, for the FHIR decoders' fallback.
public struct ElementRecordReader: Sendable {
    /// The definitions the element model is typed by.
    public var index: FHIRLayoutIndex
    /// Drop unknown elements with a warning each instead of rejecting the record.
    public var lenient: Bool
    /// What the readers accept.
    public var limits: FHIRReadLimits

    /// Creates a reader.
    public init(index: FHIRLayoutIndex, lenient: Bool = false, limits: FHIRReadLimits = .default) {
        self.index = index
        self.lenient = lenient
        self.limits = limits
    }

    /// Reads a JSON record: a document, an NDJSON line, or a streamed Bundle's entry object.
    func decodeJSON(_ bytes: [UInt8], origin: RecordOrigin) throws(FHIRDiagnostic) -> DecodedRecord {
        let reader = FHIRElementJSONReader(index: index, limits: limits)
        let (element, dropped) = if case .bundleEntry = origin.position {
            try reader.readBundleEntry(bytes, lenient: lenient)
        } else {
            try reader.read(bytes, lenient: lenient)
        }
        return DecodedRecord(resources: [], elements: [element],
                             warnings: dropped.map { RecordPositions.inInput($0, origin: origin) })
    }

    /// Reads an XML record: a document, or a streamed Bundle's parsed entry.
    func decodeXML(_ payload: RecordPayload) throws(FHIRDiagnostic) -> DecodedRecord {
        let reader = FHIRElementXMLReader(index: index, limits: limits)
        let (element, dropped) = switch payload {
        case .bytes(let bytes): try reader.read(bytes, lenient: lenient)
        case .xmlEntry(let parsed): try parsed.readElement(with: reader, lenient: lenient)
        }
        return DecodedRecord(resources: [], elements: [element], warnings: dropped)
    }

    /// Whether a typed decoder's error means "a resource type the typed models do not cover".
    static func isOutsideTypedModels(_ error: FHIRDiagnostic) -> Bool {
        error.code == .unsupportedResourceType
    }
}

extension FHIRJSONRecordEncoder {
    public func encode(element: FHIRElement) throws(FHIRDiagnostic) -> [UInt8] {
        try FHIRElementJSONWriter(pretty: pretty).write(element)
    }
}

extension NDJSONRecordEncoder {
    public func encode(element: FHIRElement) throws(FHIRDiagnostic) -> [UInt8] {
        // Compact JSON escapes control characters in strings, so it never holds a line break.
        try FHIRElementJSONWriter(pretty: false).write(element)
    }
}

extension FHIRXMLRecordEncoder {
    public func encode(element: FHIRElement) throws(FHIRDiagnostic) -> [UInt8] {
        try FHIRElementXMLWriter(pretty: pretty).write(element)
    }
}
