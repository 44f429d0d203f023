public import FHIRCore
public import FHIRElementModel

/// Writes a collection Bundle one entry at a time, so `--bundle` never holds all the resources:
/// the header once, then each entry (encoded on a worker thread) with separators, then the
/// footer. The result is byte for byte what the encoder writes for the whole Bundle at once
/// (a test holds it to that), compact or pretty.
///
/// A compact encoder writes each entry directly (``RecordEncoder/encodeBundleEntry(_:)``);
/// otherwise, or when that gives up, the entry is encoded as a one-entry Bundle and cut out of
/// it, so its indentation is the encoder's own. The header and footer come from a probe encoded
/// that way.
public struct BundleFraming: Sendable {
    /// Everything before the first entry.
    public let header: [UInt8]
    /// Between two entries.
    public let separator: [UInt8]
    /// Everything after the last entry.
    public let footer: [UInt8]
    /// The whole Bundle when it has no entry (FHIR JSON forbids an empty `entry` array).
    public let empty: [UInt8]
    private let encoder: any RecordEncoder

    /// Derives the framing from an encoder.
    /// - Parameters:
    ///   - encoder: a document encoder (`--to json|xml`, pretty or not).
    ///   - syntax: how an entry looks in its output.
    /// - Throws: ``FHIRDiagnostic`` if the encoder's Bundle does not have the expected shape.
    public init(encoder: any RecordEncoder, syntax: BundleSyntax) throws(FHIRDiagnostic) {
        self.encoder = encoder
        empty = try encoder.encode(.bundle(Self.shell(entries: [])))
        let probe = try encoder.encode(.bundle(Self.shell(entries: [Bundle.Entry(resource: .patient(Patient(id: "probe")))])))
        let cut: (header: Int, footer: Int)?
        switch syntax {
        case .json:
            // Header: through the '[' after the "entry" key (the shell's own members come first).
            // Footer: from the whitespace before the array's closing ']'.
            cut = Self.range(of: Array("\"entry\":".utf8), in: probe).flatMap { key in
                probe[key...].firstIndex(of: UInt8(ascii: "[")).flatMap { open in
                    probe.lastIndex(of: UInt8(ascii: "]")).map { close in
                        (open + 1, Self.trimmingWhitespace(backFrom: close, in: probe))
                    }
                }
            }
            separator = [UInt8(ascii: ",")]
        case .xml:
            // Header: up to the whitespace before the first <entry>. Footer: after the last </entry>.
            cut = Self.range(of: Array("<entry>".utf8), in: probe).flatMap { open in
                Self.lastRange(of: Array("</entry>".utf8), in: probe).map { close in
                    (Self.trimmingWhitespace(backFrom: open, in: probe), close + "</entry>".utf8.count)
                }
            }
            separator = []
        }
        guard let cut, cut.header <= cut.footer else {
            throw FHIRDiagnostic(code: .invalidValue, message: "internal error: cannot find the entries in an encoded Bundle")
        }
        header = Array(probe[..<cut.header])
        footer = Array(probe[cut.footer...])
    }

    /// The bytes of one entry holding `resource`, as they sit inside the Bundle.
    /// - Throws: ``FHIRDiagnostic`` when the resource cannot be encoded.
    public func entry(_ resource: AnyResource) throws(FHIRDiagnostic) -> [UInt8] {
        if let direct = encoder.encodeBundleEntry(resource) { return direct }
        let bytes = try encoder.encode(.bundle(Self.shell(entries: [Bundle.Entry(resource: resource)])))
        guard bytes.count >= header.count + footer.count, bytes.starts(with: header),
              bytes[(bytes.count - footer.count)...].elementsEqual(footer) else {
            throw FHIRDiagnostic(code: .invalidValue, message: "internal error: an encoded entry does not fit the Bundle framing")
        }
        return Array(bytes[header.count..<(bytes.count - footer.count)])
    }

    /// The bytes of one entry holding `element` (a resource of the element model), as they sit
    /// inside the Bundle: encoded as a one-entry Bundle and cut out of it.
    /// - Throws: ``FHIRDiagnostic`` when the resource cannot be encoded.
    public func entry(_ element: FHIRElement) throws(FHIRDiagnostic) -> [UInt8] {
        let bundle = FHIRElement(name: "Bundle", typeName: "Bundle", kind: .resource, children: [
            FHIRElement(name: "type", typeName: "code", kind: .primitive, value: "collection"),
            FHIRElement(name: "entry", typeName: "BackboneElement", kind: .backbone, children: [element], repeats: true),
        ])
        let bytes = try encoder.encode(element: bundle)
        guard bytes.count >= header.count + footer.count, bytes.starts(with: header),
              bytes[(bytes.count - footer.count)...].elementsEqual(footer) else {
            throw FHIRDiagnostic(code: .invalidValue, message: "internal error: an encoded entry does not fit the Bundle framing")
        }
        return Array(bytes[header.count..<(bytes.count - footer.count)])
    }

    /// The collection Bundle that `--bundle` writes.
    public static func shell(entries: [Bundle.Entry]) -> Bundle {
        Bundle(type: "collection", entry: entries)
    }

    private static func range(of needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        return (0...(bytes.count - needle.count)).first { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    private static func lastRange(of needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        return (0...(bytes.count - needle.count)).reversed().first { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    private static func trimmingWhitespace(backFrom index: Int, in bytes: [UInt8]) -> Int {
        var start = index
        while start > 0 && JSONSkim.isWhitespace(bytes[start - 1]) { start -= 1 }
        return start
    }
}
