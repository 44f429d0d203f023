internal import CLibXML2
import FHIRCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Copies a libxml2 element subtree into Swift ``XMLElement``s, enforcing the depth limit and
/// the string limit (each attribute value and text node).
///
/// Text and CDATA become text; comments and processing instructions are dropped, as FHIR says
/// they carry no meaning.
struct XMLTreeBuilder {
    var maxDepth: Int
    /// The longest attribute value or text node (``FHIRXMLLimits/maxStringBytes``).
    var maxStringBytes: Int = .max
    /// Used for nodes that carry no column (nodes built by `xmlTextReader`).
    var fallbackColumn: Int = 1
    /// Used for nodes whose line libxml2 could not keep (past 65535, see ``position(of:)``): the
    /// line of the streamed Bundle entry they are in, when the reader knew it.
    var fallbackLine = 0
    /// The text of each narrative `div` as written, by its node (see ``XMLIssueLog/narrativeSpans``).
    var narrativeSources: [UnsafeMutableRawPointer: String] = [:]

    init(maxDepth: Int, maxStringBytes: Int = .max, fallbackColumn: Int = 1) {
        self.maxDepth = maxDepth
        self.maxStringBytes = maxStringBytes
        self.fallbackColumn = fallbackColumn
    }

    init(limits: FHIRXMLLimits, fallbackColumn: Int = 1) {
        self.init(maxDepth: limits.maxDepth, maxStringBytes: limits.maxStringBytes, fallbackColumn: fallbackColumn)
    }

    /// The subtree at `node` (at nesting `depth`, the root being 1) as ``XMLElement``s, once
    /// ``checkLimits(from:depth:)`` has found it within the limits.
    func element(from node: UnsafeMutablePointer<xmlNode>, depth: Int) throws(FHIRDiagnostic) -> XMLElement {
        try checkLimits(from: node, depth: depth)
        return build(node)
    }

    /// Checks that the subtree at `node` is within the depth and string limits: the first
    /// element, attribute value or text node past one, in document order, is the error.
    func checkLimits(from node: UnsafeMutablePointer<xmlNode>, depth: Int) throws(FHIRDiagnostic) {
        let (line, column) = position(of: node)
        guard depth <= maxDepth else {
            throw FHIRDiagnostic(
                code: .tooDeep,
                message: "XML nesting deeper than \(maxDepth) elements at <\(String(cString: node.pointee.name))> "
                    + FHIRReadLimits.hint(.maxDepth, value: maxDepth),
                location: SourceLocation(line: max(line, 1), column: column, byteOffset: 0))
        }
        var attribute = node.pointee.properties
        while let current = attribute {
            let length = textLength(of: current.pointee.children)
            if length > maxStringBytes {
                let name = String(cString: node.pointee.name)
                throw tooLong(
                    "the value of \(String(cString: current.pointee.name))=\"…\" on <\(name)>", bytes: length,
                    line: line, column: column)
            }
            attribute = current.pointee.next
        }
        var child = node.pointee.children
        while let current = child {
            switch current.pointee.type {
            case XML_ELEMENT_NODE:
                try checkLimits(from: current, depth: depth + 1)
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = current.pointee.content {
                    let length = strlen(UnsafeRawPointer(content).assumingMemoryBound(to: CChar.self))
                    if length > maxStringBytes {
                        let name = String(cString: node.pointee.name)
                        throw tooLong("text inside <\(name)>", bytes: length, line: line, column: column)
                    }
                }
            default:
                break
            }
            child = current.pointee.next
        }
    }

    /// The subtree copied, checked already.
    private func build(_ node: UnsafeMutablePointer<xmlNode>) -> XMLElement {
        let (line, column) = position(of: node)
        let recorded = node.pointee._private.map { Int(bitPattern: $0) } ?? 0
        let element = XMLElement(
            name: String(cString: node.pointee.name),
            namespace: node.pointee.ns?.pointee.href.map { String(cString: $0) }, line: line, column: column)
        if recorded > 0 && node.pointee.children == nil {
            element.selfClosing = recorded & XMLNodeMarks.selfClosing != 0
        }
        if !narrativeSources.isEmpty { element.sourceText = narrativeSources[UnsafeMutableRawPointer(node)] }
        var attribute = node.pointee.properties
        while let current = attribute {
            element.attributes.append(
                XMLElement.Attribute(
                    name: String(cString: current.pointee.name),
                    namespace: current.pointee.ns?.pointee.href.map { String(cString: $0) },
                    prefix: current.pointee.ns?.pointee.prefix.map { String(cString: $0) },
                    value: text(of: current.pointee.children)))
            attribute = current.pointee.next
        }
        var child = node.pointee.children
        var pendingText = ""
        while let current = child {
            switch current.pointee.type {
            case XML_ELEMENT_NODE:
                if !pendingText.isEmpty {
                    element.children.append(.text(pendingText))
                    pendingText = ""
                }
                element.children.append(.element(build(current)))
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = current.pointee.content { pendingText += String(cString: content) }
            default:
                break  // comments, processing instructions
            }
            child = current.pointee.next
        }
        if !pendingText.isEmpty { element.children.append(.text(pendingText)) }
        return element
    }

    /// The line of an element's start tag, and its column as the parse recorded it (else
    /// ``fallbackColumn``). libxml2 keeps an element's line in 16 bits: past 65535 it answers
    /// 65535 unless a text node inside carries the line, which compact XML has none of; the
    /// entry's line (``fallbackLine``) stands in then.
    private func position(of node: UnsafeMutablePointer<xmlNode>) -> (line: Int, column: Int) {
        let recorded = node.pointee._private.map { Int(bitPattern: $0) } ?? 0
        let column = recorded & XMLNodeMarks.columnMask > 0 ? recorded & XMLNodeMarks.columnMask : fallbackColumn
        let line = Int(xmlGetLineNo(node))
        return (line == Int(UInt16.max) ? max(line, fallbackLine) : line, column)
    }

    private func tooLong(_ what: String, bytes: Int, line: Int, column: Int) -> FHIRDiagnostic {
        FHIRReadLimits.exceeded(
            .maxStringBytes, value: maxStringBytes, "\(what) of \(bytes) bytes is too long",
            location: SourceLocation(line: max(line, 1), column: column, byteOffset: 0))
    }

    /// The length in bytes of an attribute's value, as ``text(of:)`` would make it.
    private func textLength(of first: UnsafeMutablePointer<xmlNode>?) -> Int {
        var length = 0
        var node = first
        while let current = node {
            if let content = current.pointee.content {
                length += strlen(UnsafeRawPointer(content).assumingMemoryBound(to: CChar.self))
            }
            node = current.pointee.next
        }
        return length
    }

    /// The text of an attribute's value nodes.
    private func text(of first: UnsafeMutablePointer<xmlNode>?) -> String {
        var result = ""
        var node = first
        while let current = node {
            if let content = current.pointee.content { result += String(cString: content) }
            node = current.pointee.next
        }
        return result
    }
}

/// What the DOM parse notes in each element node's `_private` field: the start tag's column
/// (libxml2 records only the line), and whether an empty element was written `<p/>`.
enum XMLNodeMarks {
    static let columnMask = (1 << 32) - 1
    static let selfClosing = 1 << 40
}
