public import FHIRCore
public import FHIRXML

/// Where a record came from: its input and its place in it.
public struct RecordOrigin: Sendable, Hashable {
    /// The record's place in its input.
    public enum Position: Sendable, Hashable {
        /// The whole input is one record (a resource document, or a Bundle read whole).
        case document
        /// A line of NDJSON (1-based).
        case line(Int)
        /// An entry of a Bundle (0-based, as in `Bundle.entry[3]`), starting at a line and column.
        case bundleEntry(index: Int, line: Int, column: Int)
    }

    /// The input's name in messages (a path or `<stdin>`).
    public var input: String
    /// The place in the input.
    public var position: Position
    /// The byte offset of the record's first byte in the input.
    public var byteOffset: Int

    /// Creates an origin.
    public init(input: String, position: Position, byteOffset: Int) {
        self.input = input
        self.position = position
        self.byteOffset = byteOffset
    }

    /// The line the record starts on.
    public var line: Int {
        switch position {
        case .document: 1
        case .line(let line): line
        case .bundleEntry(_, let line, _): line
        }
    }

    /// Moves a location measured inside the record's own bytes to the input's coordinates, so
    /// a message names the line of the file (an NDJSON line number, not 1) and the column on it.
    public func inInput(_ location: SourceLocation) -> SourceLocation {
        let (line, column): (Int, Int)
        switch position {
        case .document: return location
        case .line(let first): (line, column) = (first, 1)
        case .bundleEntry(_, let first, let firstColumn): (line, column) = (first, firstColumn)
        }
        return SourceLocation(
            line: line + location.line - 1,
            column: location.line == 1 ? column + location.column - 1 : location.column,
            byteOffset: byteOffset + location.byteOffset)
    }
}

/// What a record holds before it is decoded.
public enum RecordPayload: Sendable {
    /// The record's bytes as they came: a JSON or XML document, an NDJSON line (without its line
    /// break), or a JSON Bundle entry object.
    case bytes([UInt8])
    /// An XML Bundle entry already parsed by the streaming reader, decoded on a worker thread.
    case xmlEntry(FHIRXMLParsedBundleEntry)
}

/// One record cut out of an input by a record source, not yet decoded.
public struct RawRecord: Sendable {
    /// Where it came from.
    public var origin: RecordOrigin
    /// Its content.
    public var payload: RecordPayload
    /// A problem found while cutting it out (an empty line, a record over the size limit); such
    /// a record is rejected without being decoded.
    public var framingProblem: FHIRDiagnostic?
    /// Whether ``payload`` holds only the start of the record (it was over the size limit).
    public var isTruncated: Bool

    /// Creates a record.
    public init(
        origin: RecordOrigin, payload: RecordPayload, framingProblem: FHIRDiagnostic? = nil, isTruncated: Bool = false
    ) {
        self.origin = origin
        self.payload = payload
        self.framingProblem = framingProblem
        self.isTruncated = isTruncated
    }

    /// The record as it came, for the reject output. An XML Bundle entry is written again from
    /// its parsed tree (see ``FHIRXMLParsedBundleEntry/xmlText()``).
    public var originalBytes: [UInt8] {
        switch payload {
        case .bytes(let bytes): bytes
        case .xmlEntry(let entry): entry.xmlText()
        }
    }

    /// The size used to bound the window of records in flight.
    var weight: Int {
        switch payload {
        case .bytes(let bytes): bytes.count + 64
        case .xmlEntry: 16 << 10  // a parsed tree is several times its text
        }
    }
}
