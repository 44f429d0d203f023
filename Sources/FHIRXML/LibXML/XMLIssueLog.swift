internal import CLibXML2
import FHIRCore

/// Collects what libxml2 reports during one parse, with line and column, instead of letting
/// it print to standard error. One log belongs to one parser context or reader.
final class XMLIssueLog {
    struct Issue {
        var level: XMLErrorLevel
        var message: String
        var line: Int
        var column: Int
    }

    private(set) var issues: [Issue] = []
    /// Set when ivig-fhir itself stopped the parse (a DOCTYPE); reported before anything else.
    var refusal: Issue?
    /// Where each narrative `div` lies in the input (byte offsets from its `<` to past its
    /// last `>`), by its libxml2 node, so the element model can keep the narrative's text as
    /// written (see ``XMLElement/sourceText``).
    var narrativeSpans: [UnsafeMutableRawPointer: (start: Int, end: Int)] = [:]
    /// Counts the column of each start tag (see `startElementRecordingColumn`); set by the parse.
    var locator: XMLStartTagLocator?
    /// Where the parser stood at the first error; nil when that error came from elsewhere.
    private(set) var firstErrorStop: ParserStop?

    /// The parser context that raised an error, and the elements it held open then (the one it
    /// was building and its ancestors), by address: an element built before the error and not
    /// among them had been read to its end tag.
    struct ParserStop {
        let context: UnsafeMutablePointer<xmlParserCtxt>
        let open: Set<UnsafeMutableRawPointer>
    }

    func record(_ error: UnsafePointer<xmlError>) {
        if firstError == nil, XMLErrorLevel(error.pointee.level) != .warning {
            firstErrorStop = Self.parserStop(error)
        }
        let raw = error.pointee.message.map { String(cString: $0) } ?? "unknown XML error"
        // libxml2 ends every message with a newline.
        let message = String(raw.reversed().drop(while: { $0 == "\n" || $0 == " " }).reversed())
        issues.append(
            Issue(
                level: XMLErrorLevel(error.pointee.level), message: message,
                line: Int(error.pointee.line), column: Int(error.pointee.int2)))
    }

    /// Where the parser stands at its error: read when the error is raised, since a parser that
    /// goes on after an error (a namespace error) closes some of the elements open then.
    private static func parserStop(_ error: UnsafePointer<xmlError>) -> ParserStop? {
        let domain = xmlErrorDomain(rawValue: UInt32(error.pointee.domain))
        guard domain == XML_FROM_PARSER || domain == XML_FROM_NAMESPACE, let raw = error.pointee.ctxt else {
            return nil
        }
        let context = raw.assumingMemoryBound(to: xmlParserCtxt.self)
        var open: Set<UnsafeMutableRawPointer> = []
        var node = context.pointee.node
        while let element = node, element.pointee.type == XML_ELEMENT_NODE {
            open.insert(UnsafeMutableRawPointer(element))
            node = element.pointee.parent
        }
        return ParserStop(context: context, open: open)
    }

    /// The first error that makes the document unusable: a refusal, else the first error or
    /// fatal error libxml2 raised (warnings do not count).
    var firstError: Issue? { refusal ?? issues.first { $0.level != .warning } }

    /// The first error as a diagnostic carrying libxml2's line and column.
    func diagnostic(fallback: String) -> FHIRDiagnostic {
        guard let issue = firstError else {
            return FHIRDiagnostic(code: .syntax, message: fallback)
        }
        let code: FHIRDiagnostic.Code = issue.message.contains("Excessive depth") ? .tooDeep : .syntax
        return FHIRDiagnostic(
            code: code, message: "malformed XML: \(issue.message)",
            location: SourceLocation(line: max(issue.line, 1), column: max(issue.column, 1), byteOffset: 0))
    }

    /// The log behind a parser context's `_private` pointer.
    static func of(context: UnsafeMutableRawPointer?) -> XMLIssueLog? {
        guard let context else { return nil }
        let ctxt = context.assumingMemoryBound(to: xmlParserCtxt.self)
        guard let opaque = ctxt.pointee._private else { return nil }
        return Unmanaged<XMLIssueLog>.fromOpaque(opaque).takeUnretainedValue()
    }
}

/// The structured-error handler of a DOM parse: libxml2 passes the context as user data.
let recordContextError: xmlStructuredErrorFunc = { context, error in
    guard let error, let log = XMLIssueLog.of(context: context) else { return }
    log.record(error)
}

/// The structured-error handler of an `xmlTextReader`: the user data is the log itself.
let recordReaderError: xmlStructuredErrorFunc = { opaque, error in
    guard let opaque, let error else { return }
    Unmanaged<XMLIssueLog>.fromOpaque(opaque).takeUnretainedValue().record(error)
}
