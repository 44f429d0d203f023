import FHIRCore
import FHIRElementModel

/// Builds an element tree from a flat document (``XMLFastDocument``): the SAX pass's, read with
/// positions, or a streamed Bundle entry's, read from libxml2's nodes without them (its elements
/// then have no location), without the `XMLElement` tree the full read goes through.
///
/// It reads a document only as far as ``ElementXMLBuilder`` would accept it without a word:
/// anything that builder refuses, drops with a warning or puts in order (an unknown element
/// or attribute, elements out of order, an empty or malformed value, a foreign namespace) makes
/// it give up, and the reader runs the full read, which reports it with its line, column and
/// FHIRPath. So what it returns is what the full read returns, locations included.
struct ElementXMLFastBuilder {
    let index: FHIRLayoutIndex
    let document: XMLFastDocument
    /// The document as given, for the narratives' text as written.
    let source: UnsafeRawBufferPointer
    let strings: FHIRStringCache
    private let nodes: UnsafeMutablePointer<XMLFastDocument.Node>
    private let arena: UnsafePointer<UInt8>

    init(index: FHIRLayoutIndex, document: XMLFastDocument, source: UnsafeRawBufferPointer, strings: FHIRStringCache) {
        self.index = index
        self.document = document
        self.source = source
        self.strings = strings
        nodes = document.nodes.base
        arena = UnsafePointer(document.arena.base)
    }

    /// The tree of the document's root resource, or nil when the full read must take it.
    func root() -> FHIRElement? {
        guard document.nodes.count > 0, document.positions.count == document.nodes.count else { return nil }
        return try? resource(0)
    }

    /// The Bundle entry at the document's root (a streamed entry, its document read from
    /// libxml2's nodes, with or without positions) as the only entry of a collection Bundle: the
    /// tree the full read makes of `<Bundle><type value="collection"/><entry>…</entry></Bundle>`,
    /// or nil when the full read must take it.
    func collectionBundle() -> FHIRElement? {
        let positions = document.positions.count
        guard document.nodes.count > 0, positions == 0 || positions == document.nodes.count,
            nodes[0].namespace == .fhir, string(nodes[0].name) == "entry", let shape = index.resourceShape("Bundle"),
            let type = shape.member("type"), let entry = shape.member("entry"),
            let typeKind = index.target(of: type).shape?.kind
        else { return nil }
        // The Bundle and its `type` are not in the document: made as `resource` and `element`
        // make them from `<Bundle>` and `<type value="collection"/>`.
        let bundle = FHIRElement(name: "Bundle", typeName: "Bundle", kind: .resource, definitionPath: "Bundle")
        bundle.append(
            FHIRElement(
                name: type.layout.name, typeName: type.typeName, kind: typeKind, value: "collection",
                definitionPath: type.layout.path, isChoice: type.layout.isChoice, repeats: type.layout.repeats))
        guard let entryElement = try? element(0, member: entry) else { return nil }
        bundle.append(entryElement)
        return bundle
    }

    // MARK: Nodes

    @inline(__always) private func bytes(_ span: XMLFastDocument.Span) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: arena + Int(span.start), count: Int(span.length))
    }

    @inline(__always) private func string(_ span: XMLFastDocument.Span) -> String { strings.string(bytes(span)) }

    /// Where a node is, or nil in a document read without positions.
    private func location(_ node: Int) -> SourceLocation? {
        guard node < document.positions.count else { return nil }
        let position = document.positions[node]
        return SourceLocation(line: max(Int(position.line), 1), column: max(Int(position.column), 1), byteOffset: 0)
    }

    /// Whether a node carries no attribute FHIR XML defines for it: none in no namespace.
    @inline(__always) private func hasNoFHIRAttribute(_ node: XMLFastDocument.Node) -> Bool {
        !node.value.isPresent && !node.id.isPresent && !node.url.isPresent && !node.hasOtherAttribute
    }

    // MARK: Resources

    /// A resource element (`<Patient>`), at the root or inside its wrapper.
    private func resource(_ node: Int, name: String? = nil, definitionPath: String? = nil)
        throws(FHIRFastBail) -> FHIRElement
    {
        let xml = nodes[node]
        let type = string(xml.name)
        guard xml.namespace == .fhir, let shape = index.resourceShape(type) else { throw FHIRFastBail() }
        let resource = FHIRElement(
            name: name ?? type, typeName: type, kind: .resource, definitionPath: definitionPath ?? type,
            location: location(node))
        try fill(resource, from: node, shape: shape)
        return resource
    }

    /// The element that holds a resource (`<contained>`, `<resource>`): exactly that resource.
    private func wrappedResource(_ node: Int, member: FHIRLayoutIndex.Member) throws(FHIRFastBail) -> FHIRElement {
        let wrapper = nodes[node]
        // One child, and its subtree ends where the wrapper's does.
        guard hasNoFHIRAttribute(wrapper), node + 1 < Int(wrapper.end), nodes[node + 1].end == wrapper.end else {
            throw FHIRFastBail()
        }
        let child = try resource(node + 1, name: member.layout.name, definitionPath: member.layout.path)
        child.location = location(node)
        child.repeats = member.layout.repeats
        return child
    }

    // MARK: Elements

    /// Reads a node's attributes and children into `element`, typed by `shape`, in
    /// specification order (or gives up).
    private func fill(_ element: FHIRElement, from node: Int, shape: FHIRLayoutIndex.Shape) throws(FHIRFastBail) {
        let xml = nodes[node]
        guard !xml.hasOtherAttribute, element.kind == .primitive || !xml.value.isPresent else { throw FHIRFastBail() }
        // The attributes FHIR defines (`id`; `url` on an extension) take their place among the
        // children by their slot, as the full read puts them.
        var attributes: (id: (slot: Int, element: FHIRElement)?, url: (slot: Int, element: FHIRElement)?)
        attributes = (nil, nil)
        if xml.id.isPresent { attributes.id = try attribute("id", xml.id, of: node, shape: shape) }
        if xml.url.isPresent { attributes.url = try attribute("url", xml.url, of: node, shape: shape) }
        func appendAttributes(before slot: Int) {
            if let id = attributes.id, id.slot < slot {
                element.append(id.element)
                attributes.id = nil
            }
            if let url = attributes.url, url.slot < slot {
                element.append(url.element)
                attributes.url = nil
            }
        }
        var lastSlot = -1
        var lastName = XMLFastDocument.Span.absent
        var lastMember: FHIRLayoutIndex.Member?
        var child = node + 1
        let end = Int(xml.end)
        while child < end {
            let childNode = nodes[child]
            // The parser stores a name met before in the document once: same span, same name.
            let member: FHIRLayoutIndex.Member
            if let lastMember, childNode.name.start == lastName.start {
                member = lastMember
            } else {
                guard let found = shape.member(utf8: bytes(childNode.name)) else { throw FHIRFastBail() }
                member = found
            }
            guard !member.isAttribute, childNode.namespace == .fhir || member.typeName == "xhtml" else {
                throw FHIRFastBail()
            }
            if member.slot == lastSlot {
                // The same element again: it must repeat, and a choice keeps its one type.
                guard member.layout.repeats, member === lastMember else { throw FHIRFastBail() }
            } else {
                // In specification order, and only once.
                guard member.slot > lastSlot else { throw FHIRFastBail() }
                appendAttributes(before: member.slot)
            }
            lastSlot = member.slot
            lastName = childNode.name
            lastMember = member
            element.append(try self.element(child, member: member))
            child = Int(childNode.end)
        }
        appendAttributes(before: Int.max)
    }

    /// An attribute FHIR XML defines here (`id`, `url` on an extension), as a child element.
    private func attribute(
        _ name: String, _ value: XMLFastDocument.Span, of node: Int, shape: FHIRLayoutIndex.Shape
    ) throws(FHIRFastBail) -> (slot: Int, element: FHIRElement) {
        guard let member = shape.member(name), member.isAttribute, value.length > 0 else { throw FHIRFastBail() }
        let element = FHIRElement(
            name: member.layout.name, typeName: member.typeName, kind: .primitive, value: string(value),
            definitionPath: member.layout.path, location: location(node))
        return (member.slot, element)
    }

    /// One child element, read as its member says.
    private func element(_ node: Int, member: FHIRLayoutIndex.Member) throws(FHIRFastBail) -> FHIRElement {
        let target = index.target(of: member)
        if target.holdsResource { return try wrappedResource(node, member: member) }
        guard let shape = target.shape else { throw FHIRFastBail() }
        let xml = nodes[node]
        let kind: FHIRElement.Kind = member.layout.childrenPath != nil ? .backbone : shape.kind
        let element = FHIRElement(
            name: member.layout.name, typeName: member.typeName, kind: kind, definitionPath: member.layout.path,
            location: location(node), isChoice: member.layout.isChoice, repeats: member.layout.repeats)
        if member.typeName == "xhtml" {
            guard xml.namespace == .xhtml, xml.xhtml.isPresent else { throw FHIRFastBail() }
            element.value = narrative(node, serialized: bytes(xml.xhtml))
            return element
        }
        try fill(element, from: node, shape: shape)
        if kind == .primitive {
            if xml.value.isPresent {
                let value = string(xml.value)
                guard xml.value.length > 0, FHIRPrimitiveSyntax.problem(value, ofType: member.typeName) == nil else {
                    throw FHIRFastBail()
                }
                element.value = value
            } else if element.children.isEmpty {
                throw FHIRFastBail()
            }
        } else if element.children.isEmpty {
            throw FHIRFastBail()
        }
        return element
    }

    /// A narrative's text as the full read keeps it: as written when that text stands alone as
    /// the same XHTML, else as serialized.
    private func narrative(_ node: Int, serialized: UnsafeBufferPointer<UInt8>) -> String {
        guard let span = document.narrativeSources[node], span.lowerBound < span.upperBound,
            span.upperBound <= source.count
        else { return String(decoding: serialized, as: UTF8.self) }
        let written = UnsafeRawBufferPointer(rebasing: source[span])
        // Written as it would be serialized: it declares its namespace and binds every prefix
        // itself, so it stands alone (no second parse needed to tell).
        if written.elementsEqual(UnsafeRawBufferPointer(serialized)) {
            return String(decoding: written, as: UTF8.self)
        }
        let text = String(decoding: written, as: UTF8.self)
        return XMLNarrative.standsAlone(text) ? text : String(decoding: serialized, as: UTF8.self)
    }
}
