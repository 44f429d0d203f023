import FHIRCore

extension XMLFastDocument {
    /// The flat document of an already built tree (a Bundle entry parsed on one thread and decoded
    /// on another), or nil when the tree holds anything outside plain FHIR content.
    ///
    /// It reads the tree as the full decoder reads it (attributes in no namespace are FHIR's;
    /// text between elements must be whitespace; the narrative is serialized the same way), so
    /// the fast path sees what the full path would.
    static func from(tree root: XMLElement) -> XMLFastDocument? {
        let document = XMLFastDocument()
        return document.append(root, isRoot: true) ? document : nil
    }

    private func store(_ text: String) -> Span {
        var text = text
        return text.withUTF8 { store($0) }
    }

    private func append(_ element: XMLElement, isRoot: Bool) -> Bool {
        if element.namespace == XMLNamespace.xhtml {
            guard !isRoot, element.name == "div" else { return false }
            var serializer = XMLSerializer(pretty: false)
            serializer.write(element, inheritedNamespace: nil, depth: 0)
            var node = Node(name: store(element.name), namespace: .xhtml)
            node.xhtml = serializer.bytes.withUnsafeBufferPointer { store($0) }
            node.end = Int32(nodes.count + 1)
            nodes.append(node)
            return true
        }
        guard element.namespace == XMLNamespace.fhir else { return false }
        let index = nodes.count
        var node = Node(name: store(element.name), namespace: .fhir)
        for attribute in element.attributes {
            node.hasAnyAttribute = true
            guard attribute.namespace == nil else { continue }  // not FHIR content
            switch attribute.name {
            case "value": node.value = store(attribute.value)
            case "id": node.id = store(attribute.value)
            case "url": node.url = store(attribute.value)
            default: node.hasOtherAttribute = true
            }
        }
        nodes.append(node)
        for child in element.children {
            switch child {
            case .element(let childElement):
                guard append(childElement, isRoot: false) else { return false }
            case .text(let text):
                guard text.utf8.allSatisfy(XMLElement.isWhitespace) else { return false }
            }
        }
        nodes[index].end = Int32(nodes.count)
        return true
    }
}
