public import FHIRCore
import FHIRJSON
import FHIRXML

/// Decodes FHIR JSON records: a document, an NDJSON line, or one entry of a streamed JSON Bundle.
public struct FHIRJSONRecordDecoder: RecordDecoder {
    /// Drop unknown elements with a warning each instead of rejecting the record.
    public var lenient: Bool
    /// What the reader accepts; a record past a limit is rejected with the limit named.
    public var limits: FHIRReadLimits
    /// Reads the records the typed models do not cover; nil to reject them.
    public var elements: ElementRecordReader?

    /// Creates the decoder.
    public init(lenient: Bool = false, limits: FHIRReadLimits = .default, elements: ElementRecordReader? = nil) {
        self.lenient = lenient
        self.limits = limits
        self.elements = elements
    }

    public func decode(_ record: RawRecord) throws(FHIRDiagnostic) -> DecodedRecord {
        guard case .bytes(let bytes) = record.payload else {
            throw FHIRDiagnostic(code: .invalidValue, message: "a parsed XML entry cannot be decoded as JSON")
        }
        do {
            return try decodeTyped(bytes, record)
        } catch {
            guard ElementRecordReader.isOutsideTypedModels(error), let elements else { throw error }
            do throws(FHIRDiagnostic) {
                return try elements.decodeJSON(bytes, origin: record.origin)
            } catch {
                throw RecordPositions.inInput(error, origin: record.origin)
            }
        }
    }

    private func decodeTyped(_ bytes: [UInt8], _ record: RawRecord) throws(FHIRDiagnostic) -> DecodedRecord {
        do throws(FHIRDiagnostic) {
            let resource: AnyResource, dropped: [FHIRDiagnostic]
            if case .bundleEntry = record.origin.position {
                let entry: Bundle.Entry
                (entry, dropped) = try decode(Bundle.Entry.self, bytes)
                guard let entryResource = entry.resource else { throw RecordPositions.missingResource }
                resource = entryResource
            } else {
                (resource, dropped) = try decode(AnyResource.self, bytes)
            }
            return DecodedRecord(resources: [resource], warnings: dropped.map { RecordPositions.inInput($0, origin: record.origin) })
        } catch {
            throw RecordPositions.inInput(error, origin: record.origin)
        }
    }

    private func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]) throws(FHIRDiagnostic) -> (T, [FHIRDiagnostic]) {
        if lenient { return try FHIRJSONDecoder(limits: limits).decodeLeniently(type, from: bytes) }
        return (try FHIRJSONDecoder(limits: limits).decode(type, from: bytes), [])
    }
}

/// Decodes FHIR XML records: a document, or one entry of a streamed XML Bundle.
public struct FHIRXMLRecordDecoder: RecordDecoder {
    /// Drop unknown elements with a warning each instead of rejecting the record.
    public var lenient: Bool
    /// What the reader accepts; a record past a limit is rejected with the limit named.
    public var limits: FHIRReadLimits
    /// Reads the records the typed models do not cover; nil to reject them.
    public var elements: ElementRecordReader?

    /// Creates the decoder.
    public init(lenient: Bool = false, limits: FHIRReadLimits = .default, elements: ElementRecordReader? = nil) {
        self.lenient = lenient
        self.limits = limits
        self.elements = elements
    }

    public func decode(_ record: RawRecord) throws(FHIRDiagnostic) -> DecodedRecord {
        do {
            return try decodeTyped(record)
        } catch {
            guard ElementRecordReader.isOutsideTypedModels(error), let elements else { throw error }
            return try elements.decodeXML(record.payload)
        }
    }

    private func decodeTyped(_ record: RawRecord) throws(FHIRDiagnostic) -> DecodedRecord {
        switch record.payload {
        case .bytes(let bytes):
            let decoder = FHIRXMLDecoder(limits: limits)
            if lenient {
                let (resource, dropped) = try decoder.decodeLeniently(AnyResource.self, from: bytes)
                return DecodedRecord(resources: [resource], warnings: dropped)
            }
            return DecodedRecord(resources: [try decoder.decode(AnyResource.self, from: bytes)])
        case .xmlEntry(let parsed):
            // Paths and lines already name the Bundle entry and the line in the file.
            let (entry, dropped) = try parsed.decode(lenient: lenient)
            guard let resource = entry.resource else {
                var problem = RecordPositions.missingResource
                problem.fhirPath = "Bundle.entry[\(parsed.index)]"
                problem.location = SourceLocation(line: parsed.line, column: parsed.column, byteOffset: 0)
                throw problem
            }
            return DecodedRecord(resources: [resource], warnings: dropped)
        }
    }
}

/// Encodes resources as FHIR JSON documents (`--to json`).
public struct FHIRJSONRecordEncoder: RecordEncoder {
    /// Indent for people.
    public var pretty: Bool
    public var shape: OutputShape { .documents(.json) }

    /// Creates the encoder.
    public init(pretty: Bool = false) { self.pretty = pretty }

    public func encode(_ resource: AnyResource) throws(FHIRDiagnostic) -> [UInt8] {
        try FHIRJSONEncoder(pretty: pretty).encode(resource)
    }

    public func encodeBundleEntry(_ resource: AnyResource) -> [UInt8]? {
        FHIRJSONEncoder(pretty: pretty).encodeBundleEntry(resource)
    }
}

/// Encodes resources as NDJSON lines (`--to ndjson`): compact FHIR JSON, one resource per line.
public struct NDJSONRecordEncoder: RecordEncoder {
    public var shape: OutputShape { .lines }

    /// Creates the encoder.
    public init() {}

    public func encode(_ resource: AnyResource) throws(FHIRDiagnostic) -> [UInt8] {
        // Compact FHIR JSON escapes control characters in strings, so it never holds a line break.
        try FHIRJSONEncoder(pretty: false).encode(resource)
    }
}

/// Encodes resources as FHIR XML documents (`--to xml`).
public struct FHIRXMLRecordEncoder: RecordEncoder {
    /// Indent for people.
    public var pretty: Bool
    public var shape: OutputShape { .documents(.xml) }

    /// Creates the encoder.
    public init(pretty: Bool = false) { self.pretty = pretty }

    public func encode(_ resource: AnyResource) throws(FHIRDiagnostic) -> [UInt8] {
        try FHIRXMLEncoder(pretty: pretty).encode(resource)
    }

    public func encodeBundleEntry(_ resource: AnyResource) -> [UInt8]? {
        FHIRXMLEncoder(pretty: pretty).encodeBundleEntry(resource)
    }
}

/// Positions and paths of records that are Bundle entries or lines.
enum RecordPositions {
    static let missingResource = FHIRDiagnostic(
        code: .missing, message: "the Bundle entry has no resource (nothing to convert)")

    /// A diagnostic from decoding a record's own bytes, moved to the input's lines and columns,
    /// with the FHIRPath rooted at `Bundle.entry[n]` for entries
    /// (`resource.ofType(Patient).active` → `Bundle.entry[3].resource.ofType(Patient).active`).
    static func inInput(_ diagnostic: FHIRDiagnostic, origin: RecordOrigin) -> FHIRDiagnostic {
        var moved = diagnostic
        if let location = diagnostic.location { moved.location = origin.inInput(location) }
        guard case .bundleEntry(let index, let line, let column) = origin.position else { return moved }
        let base = "Bundle.entry[\(index)]"
        if let path = diagnostic.fhirPath, !path.isEmpty {
            moved.fhirPath = path.hasPrefix("Bundle.") ? path : base + "." + path
        } else {
            moved.fhirPath = base
        }
        if moved.location == nil {
            moved.location = SourceLocation(line: line, column: column, byteOffset: origin.byteOffset)
        }
        return moved
    }
}
