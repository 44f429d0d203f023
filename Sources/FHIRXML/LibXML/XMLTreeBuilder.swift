internal import CLibXML2
import FHIRCore

/// Copies a libxml2 element subtree into Swift ``XMLElement``s, enforcing the depth limit.
///
/// Text and CDATA become text; comments and processing instructions are dropped, as FHIR says
/// they carry no meaning.
struct XMLTreeBuilder {
    var maxDepth: Int
    /// Used for nodes that carry no column (nodes built by `xmlTextReader`).
    var fallbackColumn: Int = 1

    func element(from node: UnsafeMutablePointer<xmlNode>, depth: Int) throws(FHIRDiagnostic) -> XMLElement {
        let line = Int(xmlGetLineNo(node))
        let recorded = node.pointee._private.map { Int(bitPattern: $0) } ?? 0
        let column = recorded > 0 ? recorded : fallbackColumn
        let name = String(cString: node.pointee.name)
        guard depth <= maxDepth else {
            throw FHIRDiagnostic(
                code: .tooDeep,
                message: "XML nesting deeper than \(maxDepth) elements at <\(name)> (FHIRXMLLimits.maxDepth)",
                location: SourceLocation(line: max(line, 1), column: column, byteOffset: 0))
        }
        let element = XMLElement(
            name: name, namespace: node.pointee.ns?.pointee.href.map { String(cString: $0) },
            line: line, column: column)
        var attribute = node.pointee.properties
        while let current = attribute {
            element.attributes.append(XMLElement.Attribute(
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
                element.children.append(.element(try self.element(from: current, depth: depth + 1)))
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
