public import FHIRCore
public import FHIRElementModel

/// Reads FHIR XML of any R4 resource type into an ``FHIRElement`` tree typed by the
/// definitions, as strictly as ``FHIRXMLDecoder`` reads the generated models.
///
/// ```swift
/// let reader = FHIRElementXMLReader(index: FHIRLayoutIndex(layouts))
/// let encounter = try reader.read(bytes)
/// ```
/// Parsed with the same hardened libxml2 parse as the typed reader (DOCTYPE refused, no
/// entities, no network, the reader limits). Refused, each with its line, column and
/// FHIRPath: an element the type does not have or outside FHIR's namespace, elements out of
/// specification order, an element repeated that does not repeat, two types of one choice,
/// attributes FHIR XML does not define (namespaced ones, such as `xml:lang`, are ignored), text
/// between elements, an empty `value`, and a value that breaks its type's format. The
/// narrative `div` is kept as XHTML text, written as the typed reader writes it.
///
/// A document with nothing to refuse or warn about is built in one SAX pass, without an
/// intermediate XML tree; any other goes through the full read, which reports what it finds.
public struct FHIRElementXMLReader: Sendable {
    /// The definitions the tree is typed by.
    public var index: FHIRLayoutIndex
    /// What the reader accepts: document size, nesting, string length, Bundle entries.
    public var limits: FHIRReadLimits

    /// Creates a reader over the given definitions.
    public init(index: FHIRLayoutIndex, limits: FHIRReadLimits = .default) {
        self.index = index
        self.limits = limits
    }

    /// Reads a resource document strictly.
    /// - Throws: ``FHIRDiagnostic``.
    public func read(_ bytes: [UInt8]) throws(FHIRDiagnostic) -> FHIRElement {
        try read(bytes, lenient: false).resource
    }

    /// Reads a resource document, strictly or leniently (unknown content dropped with a
    /// warning each, elements out of order put in order).
    /// - Throws: ``FHIRDiagnostic``.
    public func read(
        _ bytes: [UInt8], lenient: Bool
    ) throws(FHIRDiagnostic) -> (resource: FHIRElement, dropped: [FHIRDiagnostic]) {
        if useFastPath, let resource = fastRead(bytes) { return (resource, []) }
        let root = try FHIRXMLDecoder(limits: limits).parse(bytes)
        let builder = ElementXMLBuilder(index: index, lenient: lenient)
        let resource = try builder.root(root)
        return (resource, builder.dropped)
    }

    /// Whether to try the fast path first (tests turn it off to compare the two paths).
    var useFastPath = true

    /// The fast path: a SAX pass into a flat document and the tree built from it, or nil when
    /// the document holds anything the full read would refuse, warn about or reorder (the full
    /// read then reports it). A document it reads needs no warning, strict or lenient.
    func fastRead(_ bytes: [UInt8]) -> FHIRElement? {
        let limits = FHIRXMLLimits(limits)
        return bytes.withUnsafeBytes { source in
            XMLFastParser.withDocument(source, limits: limits, positions: true) { document in
                // Each entry is at least one node: below the limit in nodes, no Bundle can be over it.
                guard document.nodes.count <= limits.maxBundleEntries else { return nil }
                return FHIRStringCache.withCache { strings in
                    ElementXMLFastBuilder(index: index, document: document, source: source, strings: strings).root()
                }
            }
        }
    }
}

extension FHIRElementXMLReader {
    /// Reads a streamed Bundle entry as the only entry of a collection Bundle, as ``read(_:lenient:)``
    /// reads that Bundle written out (`<Bundle xmlns="http://hl7.org/fhir"><type value="collection"/>`
    /// and the entry's ``FHIRXMLParsedBundleEntry/xmlText()``): the same tree, the same warnings
    /// and errors, their paths those of that Bundle (`Bundle.entry[0].resource…`). So an entry can
    /// be validated from the definitions on its own, with its place in the Bundle checked too.
    ///
    /// The record size limit is not applied to that Bundle: the streaming reader applied it to the
    /// entry as it was in the input, and the wrapper is not the user's. The places in messages
    /// (`<foo> (line 8)`) are the input's: an entry read into a tree is read from that tree, whose
    /// elements carry their lines; an entry the streaming reader decoded on its fast path is built
    /// straight from its flat document (its elements then carry no location: the document's nodes
    /// were read by `xmlTextReader`, which keeps no columns), or, when the tree builder gives up on
    /// it, written out and read again with every element placed at the entry's start, since lines
    /// of the text written out name nothing in the input.
    /// - Throws: ``FHIRDiagnostic``; for an entry the streaming reader refused (a limit), that refusal.
    public func readAsCollectionBundle(
        _ entry: FHIRXMLParsedBundleEntry, lenient: Bool
    ) throws(FHIRDiagnostic) -> (resource: FHIRElement, dropped: [FHIRDiagnostic]) {
        let tree: XMLElement
        switch entry.content {
        case .refused(let problem, _, _): throw problem
        case .tree(let element): tree = element
        case .decoded:
            if useFastPath, let bundle = fastCollectionBundle(entry) { return (bundle, []) }
            let text = Self.collectionStart + entry.xmlText() + Self.collectionEnd
            var wrapperLimits = limits
            wrapperLimits.maxRecordBytes = max(limits.maxRecordBytes, text.count)
            let written = try FHIRXMLDecoder(limits: wrapperLimits).parse(text)
            guard let element = written.elementChildren.last, element.name == "entry" else {
                throw FHIRDiagnostic(code: .invalidValue, message: "the entry cannot be written again as XML")
            }
            element.place(line: entry.line, column: entry.column)
            tree = element
        }
        let type = XMLElement(
            name: "type", namespace: XMLNamespace.fhir,
            attributes: [XMLElement.Attribute(name: "value", namespace: nil, prefix: nil, value: "collection")])
        let bundle = XMLElement(
            name: "Bundle", namespace: XMLNamespace.fhir, children: [.element(type), .element(tree)])
        let builder = ElementXMLBuilder(index: index, lenient: lenient)
        let resource = try builder.root(bundle)
        return (resource, builder.dropped)
    }

    private static let collectionStart = Array(#"<Bundle xmlns="http://hl7.org/fhir"><type value="collection"/>"#.utf8)
    private static let collectionEnd = Array("</Bundle>".utf8)

    /// The collection Bundle built from the entry's flat document, or nil when the entry has none
    /// or the tree builder gives up.
    func fastCollectionBundle(_ entry: FHIRXMLParsedBundleEntry) -> FHIRElement? {
        guard case .decoded(_, let document, _, _) = entry.content else { return nil }
        let noSource = UnsafeRawBufferPointer(start: nil, count: 0)  // no narrative source recorded to read
        return FHIRStringCache.withCache { strings in
            ElementXMLFastBuilder(index: index, document: document, source: noSource, strings: strings)
                .collectionBundle()
        }
    }
}

extension XMLElement {
    /// Places the element and all within it at one line and column (those of text written out
    /// again are not the input's).
    fileprivate func place(line: Int, column: Int) {
        var pending = [self]
        while let element = pending.popLast() {
            element.line = line
            element.column = column
            pending += element.elementChildren
        }
    }
}

extension FHIRXMLParsedBundleEntry {
    /// Reads the entry's resource into an element tree (for entries whose resource the typed
    /// models do not cover). Errors carry the FHIRPath from the Bundle
    /// (`Bundle.entry[3].resource.ofType(Encounter).status`) and the line and column.
    /// - Throws: ``FHIRDiagnostic``; code `missing` when the entry holds no resource.
    public func readElement(
        with reader: FHIRElementXMLReader, lenient: Bool
    ) throws(FHIRDiagnostic) -> (resource: FHIRElement, dropped: [FHIRDiagnostic]) {
        let tree: XMLElement
        switch content {
        case .tree(let element): tree = element
        case .refused(let problem, _, _): throw problem
        case .decoded(let entry, _, _, _):
            // Decoded typed already; written out and read again (not the usual way here).
            guard let text = XMLFastWriter.encodeElement("entry", entry) else {
                throw FHIRDiagnostic(code: .invalidValue, message: "the entry cannot be written again as XML")
            }
            tree = try FHIRXMLDecoder(
                limits: FHIRReadLimits(
                    maxRecordBytes: limits.maxEntryBytes,
                    maxDepth: limits.maxDepth,
                    maxStringBytes: limits.maxStringBytes)
            ).parse(text)
        }
        guard let shape = reader.index.shape(ofPath: "Bundle.entry") else {
            throw FHIRDiagnostic(code: .unsupportedResourceType, message: "the definitions do not define Bundle.entry")
        }
        let builder = ElementXMLBuilder(index: reader.index, lenient: lenient)
        let entry = FHIRElement(
            name: "entry", typeName: "BackboneElement", kind: .backbone,
            definitionPath: "Bundle.entry", location: ElementXMLBuilder.location(of: tree))
        try builder.fill(entry, from: tree, shape: shape, path: { "Bundle.entry[\(index)]" })
        guard let resource = entry.child(named: "resource") else {
            throw FHIRDiagnostic(
                code: .missing, message: "the Bundle entry has no resource (nothing to convert)",
                fhirPath: "Bundle.entry[\(index)]", location: entry.location)
        }
        return (resource, builder.dropped)
    }
}

/// One read of a parsed XML tree into an element tree.
final class ElementXMLBuilder {
    let index: FHIRLayoutIndex
    let lenient: Bool
    private(set) var dropped: [FHIRDiagnostic] = []

    init(index: FHIRLayoutIndex, lenient: Bool) {
        self.index = index
        self.lenient = lenient
    }

    static func location(of element: XMLElement) -> SourceLocation {
        SourceLocation(line: max(element.line, 1), column: max(element.column, 1), byteOffset: 0)
    }

    private static func join(_ path: String, _ name: String) -> String { path.isEmpty ? name : path + "." + name }

    private func failure(
        _ code: FHIRDiagnostic.Code, _ message: String, path: @autoclosure () -> String, at element: XMLElement
    ) -> FHIRDiagnostic {
        FHIRDiagnostic(code: code, message: message, fhirPath: path(), location: Self.location(of: element))
    }

    /// Content FHIR XML does not define here: an error, or a warning when reading leniently.
    private func reject(
        _ message: @autoclosure () -> String, path: @autoclosure () -> String, at element: XMLElement
    ) throws(FHIRDiagnostic) {
        if lenient {
            dropped.append(
                FHIRDiagnostic(
                    .warning, code: .unknownElement, message: message() + " (dropped)",
                    fhirPath: path(), location: Self.location(of: element)))
            return
        }
        throw failure(
            .unknownElement, message() + " (read leniently to drop it with a warning)", path: path(), at: element)
    }

    // MARK: Resources

    /// The document's root element, a resource.
    func root(_ root: XMLElement) throws(FHIRDiagnostic) -> FHIRElement {
        guard root.namespace == XMLNamespace.fhir else {
            throw failure(
                .invalidValue,
                "root element <\(root.name)> is not in the FHIR namespace; expected xmlns=\"\(XMLNamespace.fhir)\"",
                path: root.name, at: root)
        }
        return try resource(root, name: nil, definitionPath: nil, path: { "" })
    }

    /// A resource element (`<Patient>`), named `name` in its parent (nil at the root).
    /// - Parameter path: the FHIRPath of its place in its parent, for messages; built only when
    ///   a message needs it.
    private func resource(
        _ xml: XMLElement, name: String?, definitionPath: String?, path: () -> String
    ) throws(FHIRDiagnostic) -> FHIRElement {
        let type = xml.name
        guard xml.namespace == XMLNamespace.fhir, let shape = index.resourceShape(type) else {
            throw failure(
                .unsupportedResourceType,
                "unsupported resource type '\(type)' (not a resource type of FHIR R4 or of the loaded packages)",
                path: name == nil ? type : path(), at: xml)
        }
        let resource = FHIRElement(
            name: name ?? type, typeName: type, kind: .resource,
            definitionPath: definitionPath ?? type, location: Self.location(of: xml))
        func resourcePath() -> String { name == nil ? type : path() + ".ofType(\(type))" }
        try fill(resource, from: xml, shape: shape, path: resourcePath)
        return resource
    }

    /// The element that holds a resource (`<contained>`, `<resource>`): exactly one resource.
    private func wrappedResource(
        _ wrapper: XMLElement, member: FHIRLayoutIndex.Member, path: () -> String
    ) throws(FHIRDiagnostic) -> FHIRElement {
        for attribute in wrapper.attributes where attribute.namespace == nil {
            try reject(
                "attribute '\(attribute.name)' on \(wrapper.described) is not part of FHIR XML here",
                path: path(), at: wrapper)
        }
        if wrapper.hasSignificantText {
            try reject(
                "text content in \(wrapper.described); FHIR XML carries values in value attributes",
                path: path(), at: wrapper)
        }
        let inner = wrapper.elementChildren
        guard inner.count == 1 else {
            throw failure(
                .invalidValue,
                "\(wrapper.described) wraps a resource, so it must hold exactly that one resource element",
                path: path(), at: wrapper)
        }
        let child = try resource(inner[0], name: member.layout.name, definitionPath: member.layout.path, path: path)
        child.location = Self.location(of: wrapper)
        child.repeats = member.layout.repeats
        return child
    }

    // MARK: Elements

    /// Reads `xml`'s attributes and children into `element`, typed by `shape`.
    /// - Parameter path: the FHIRPath of `element`, for messages; built only when a message
    ///   needs it, since reading a valid document needs none.
    func fill(_ element: FHIRElement, from xml: XMLElement, shape: FHIRLayoutIndex.Shape, path: () -> String)
        throws(FHIRDiagnostic)
    {
        var slots: [Int] = []
        slots.reserveCapacity(xml.attributes.count + xml.children.count)
        element.reserveChildren(xml.attributes.count + xml.children.count)
        for attribute in xml.attributes where attribute.namespace == nil {
            if element.kind == .primitive && attribute.name == "value" { continue }  // the caller's
            guard let member = shape.member(attribute.name), member.isAttribute else {
                try reject(
                    "attribute '\(attribute.name)' on \(xml.described) is not part of FHIR XML here",
                    path: path(), at: xml)
                continue
            }
            guard !attribute.value.isEmpty else {
                throw failure(
                    .emptyValue, "attribute '\(attribute.name)' on \(xml.described) is empty",
                    path: Self.join(path(), attribute.name), at: xml)
            }
            element.append(
                FHIRElement(
                    name: member.layout.name, typeName: member.typeName, kind: .primitive, value: attribute.value,
                    definitionPath: member.layout.path, location: Self.location(of: xml)))
            slots.append(member.slot)
        }
        if xml.hasSignificantText {
            try reject(
                "text content in \(xml.described); FHIR XML carries values in value attributes", path: path(),
                at: xml)
        }
        var last: (slot: Int, xml: XMLElement)?
        var counts = [Int](repeating: 0, count: shape.elements.count)  // occurrences by slot
        for case .element(let child) in xml.children {
            let member = shape.member(child.name)
            let isNarrative =
                child.name == "div" && child.namespace == XMLNamespace.xhtml && member?.typeName == "xhtml"
            guard child.namespace == XMLNamespace.fhir || isNarrative else {
                try reject(
                    "element \(child.described) is in namespace '\(child.namespace ?? "")', not FHIR's",
                    path: Self.join(path(), child.name), at: child)
                continue
            }
            guard let member, !member.isAttribute else {
                let type = element.kind == .backbone ? (element.definitionPath ?? element.typeName) : element.typeName
                try reject(
                    "unknown element \(child.described) (not part of FHIR R4 \(type))",
                    path: Self.join(path(), child.name), at: child)
                continue
            }
            let count = counts[member.slot]
            counts[member.slot] = count + 1
            func childPath() -> String { Self.join(path(), child.name) + (member.layout.repeats ? "[\(count)]" : "") }
            if let last {
                if member.slot < last.slot && !lenient {
                    throw failure(
                        .elementOrder,
                        "element \(child.described) is out of order: FHIR R4 puts it after \(last.xml.described)",
                        path: childPath(), at: child)
                }
                if member.slot == last.slot && member.layout.isChoice && last.xml.name != child.name {
                    throw failure(
                        .multipleChoices,
                        "more than one choice of \(member.layout.name)[x]: \(last.xml.name), \(child.name)"
                            + " (a [x] element takes exactly one type)",
                        path: childPath(), at: child)
                }
            }
            if count > 0 && !member.layout.repeats {
                throw failure(
                    .invalidValue,
                    "element '\(child.name)' occurs \(count + 1) times, but it does not repeat (at most 1)",
                    path: childPath(), at: child)
            }
            last = (member.slot, child)
            element.append(try self.element(child, member: member, path: childPath))
            slots.append(member.slot)
        }
        FHIRElementOrder.sort(element, slots: slots)
    }

    /// One child element, read as its member says.
    private func element(_ xml: XMLElement, member: FHIRLayoutIndex.Member, path: () -> String)
        throws(FHIRDiagnostic) -> FHIRElement
    {
        let target = index.target(of: member)
        if target.holdsResource {
            return try wrappedResource(xml, member: member, path: path)
        }
        guard let shape = target.shape else {
            throw failure(
                .unknownElement, "the definitions do not define type '\(member.typeName)'", path: path(), at: xml)
        }
        let kind: FHIRElement.Kind = member.layout.childrenPath != nil ? .backbone : shape.kind
        let element = FHIRElement(
            name: member.layout.name, typeName: member.typeName, kind: kind, definitionPath: member.layout.path,
            location: Self.location(of: xml), isChoice: member.layout.isChoice, repeats: member.layout.repeats)
        if member.typeName == "xhtml" {
            guard xml.name == "div", xml.namespace == XMLNamespace.xhtml else {
                throw failure(
                    .invalidValue,
                    "narrative \(xml.described) must be an XHTML <div xmlns=\"\(XMLNamespace.xhtml)\">",
                    path: path(), at: xml)
            }
            // As written, when that text stands alone as the same XHTML (it declares its own
            // namespace); else written again from the tree, as the typed reader does.
            if let source = xml.sourceText, XMLNarrative.standsAlone(source) {
                element.value = source
                return element
            }
            var serializer = XMLSerializer(pretty: false)
            serializer.write(xml, inheritedNamespace: nil, depth: 0)
            element.value = String(decoding: serializer.bytes, as: UTF8.self)
            return element
        }
        try fill(element, from: xml, shape: shape, path: path)
        if kind == .primitive {
            if let value = xml.attribute("value") {
                guard !value.isEmpty else {
                    throw failure(.emptyValue, "attribute 'value' on \(xml.described) is empty", path: path(), at: xml)
                }
                if let problem = FHIRPrimitiveSyntax.problem(value, ofType: member.typeName) {
                    let diagnostic = failure(.invalidPrimitive, problem, path: path(), at: xml)
                    // A lenient read keeps the text and goes on, so validation reports what follows too.
                    guard lenient else { throw diagnostic }
                    dropped.append(diagnostic)
                }
                element.value = value
            } else if element.children.isEmpty {
                throw failure(
                    .emptyValue, "\(xml.described) has no value, id or extension (leave the element out instead)",
                    path: path(), at: xml)
            }
        } else if element.children.isEmpty {
            throw failure(
                .emptyValue, "\(xml.described) is empty (leave the element out instead)", path: path(), at: xml)
        }
        return element
    }
}
