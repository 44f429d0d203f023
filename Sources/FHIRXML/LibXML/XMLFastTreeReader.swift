internal import CLibXML2
import FHIRCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Builds an ``XMLFastDocument`` from a libxml2 element subtree (a Bundle entry the streaming
/// reader expanded), for the fast path of ``FHIRXMLBundleStream``.
///
/// It reads the same things from the tree that ``XMLTreeBuilder`` reads (names, namespaces,
/// attribute values as their text children, text), and writes a narrative `div` with the same
/// tree builder and serializer, so the result matches what the full path would see. It gives up
/// (nil) on anything outside plain FHIR content, as the SAX pass does.
struct XMLFastTreeReader {
    private let document = XMLFastDocument()
    private let maxDepth: Int
    /// A longer attribute value or text node sends the entry to the full path, which reports it.
    private let maxStringBytes: Int

    private init(maxDepth: Int, maxStringBytes: Int) {
        self.maxDepth = maxDepth
        self.maxStringBytes = maxStringBytes
    }

    static func document(from node: UnsafeMutablePointer<xmlNode>, maxDepth: Int, maxStringBytes: Int = .max)
        -> XMLFastDocument?
    {
        let reader = XMLFastTreeReader(maxDepth: maxDepth, maxStringBytes: maxStringBytes)
        guard reader.element(node, depth: 2) else { return nil }  // an entry sits at depth 2 (Bundle is 1)
        return reader.document
    }

    private static func isNamespace(_ node: UnsafeMutablePointer<xmlNode>, _ uri: StaticString) -> Bool {
        guard let href = node.pointee.ns?.pointee.href else { return false }
        return strcmp(
            UnsafeRawPointer(href).assumingMemoryBound(to: CChar.self),
            UnsafeRawPointer(uri.utf8Start).assumingMemoryBound(to: CChar.self)) == 0
    }

    private func store(_ text: UnsafePointer<xmlChar>) -> XMLFastDocument.Span {
        document.store(
            UnsafeBufferPointer(start: text, count: strlen(UnsafeRawPointer(text).assumingMemoryBound(to: CChar.self))))
    }

    /// An attribute's value: its text children, concatenated (as `XMLTreeBuilder` reads it).
    private func attributeValue(_ attribute: UnsafeMutablePointer<xmlAttr>) -> XMLFastDocument.Span {
        let start = document.arena.count
        var child = attribute.pointee.children
        while let current = child {
            if let content = current.pointee.content {
                document.arena.append(
                    UnsafeBufferPointer(
                        start: content, count: strlen(UnsafeRawPointer(content).assumingMemoryBound(to: CChar.self))))
            }
            child = current.pointee.next
        }
        return XMLFastDocument.Span(start: Int32(start), length: Int32(document.arena.count - start))
    }

    private func element(_ node: UnsafeMutablePointer<xmlNode>, depth: Int) -> Bool {
        guard depth <= maxDepth, let name = node.pointee.name else { return false }
        if Self.isNamespace(node, "http://www.w3.org/1999/xhtml") { return narrative(node, depth: depth) }
        guard Self.isNamespace(node, "http://hl7.org/fhir") else { return false }
        let index = document.nodes.count
        var entry = XMLFastDocument.Node(name: store(name), namespace: .fhir)
        var attribute = node.pointee.properties
        while let current = attribute {
            entry.hasAnyAttribute = true
            defer { attribute = current.pointee.next }
            if current.pointee.ns != nil { continue }  // namespaced: not FHIR content
            guard let attributeName = current.pointee.name else { continue }
            let text = UnsafeRawPointer(attributeName).assumingMemoryBound(to: CChar.self)
            if strcmp(text, "value") == 0 {
                entry.value = attributeValue(current)
                guard Int(entry.value.length) <= maxStringBytes else { return false }
            } else if strcmp(text, "id") == 0 {
                entry.id = attributeValue(current)
                guard Int(entry.id.length) <= maxStringBytes else { return false }
            } else if strcmp(text, "url") == 0 {
                entry.url = attributeValue(current)
                guard Int(entry.url.length) <= maxStringBytes else { return false }
            } else {
                entry.hasOtherAttribute = true
            }
        }
        document.nodes.append(entry)
        var child = node.pointee.children
        while let current = child {
            switch current.pointee.type {
            case XML_ELEMENT_NODE:
                guard element(current, depth: depth + 1) else { return false }
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                // FHIR carries values in attributes; only whitespace may sit between elements.
                if let content = current.pointee.content {
                    var byte = content
                    while byte.pointee != 0 {
                        let value = byte.pointee
                        guard value == 0x20 || value == 0x09 || value == 0x0A || value == 0x0D else { return false }
                        byte += 1
                    }
                    guard byte - content <= maxStringBytes else { return false }
                }
            case XML_COMMENT_NODE, XML_PI_NODE:
                break
            default:
                return false  // entity references and anything else: the full path decides
            }
            child = current.pointee.next
        }
        document.nodes[index].end = Int32(document.nodes.count)
        return true
    }

    /// A narrative `div`: serialized exactly as the full path serializes it.
    private func narrative(_ node: UnsafeMutablePointer<xmlNode>, depth: Int) -> Bool {
        guard document.nodes.count > 0, let name = node.pointee.name,
            strcmp(UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self), "div") == 0
        else { return false }
        let built = Result { () throws(FHIRDiagnostic) in
            try XMLTreeBuilder(maxDepth: maxDepth, maxStringBytes: maxStringBytes).element(from: node, depth: depth)
        }
        guard case .success(let div) = built else { return false }
        var serializer = XMLSerializer(pretty: false)
        serializer.write(div, inheritedNamespace: nil, depth: 0)
        var entry = XMLFastDocument.Node(name: store(name), namespace: .xhtml)
        entry.xhtml = serializer.bytes.withUnsafeBufferPointer { document.store($0) }
        entry.end = Int32(document.nodes.count + 1)
        document.nodes.append(entry)
        return true
    }
}
