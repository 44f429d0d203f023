import FHIRCore
import FHIRElementModel

/// One read of FHIR JSON into an element tree: the scanned document, the definitions, and
/// what was dropped (lenient reads).
final class ElementJSONBuilder {
    let document: JSONDocument
    let index: FHIRLayoutIndex
    let limits: FHIRReadLimits
    let lenient: Bool
    private(set) var dropped: [FHIRDiagnostic] = []
    /// Line and column of the last position asked for: positions are asked for in document
    /// order, so finding them all costs one pass over the bytes. Asked for on every element,
    /// by this builder alone (one read, one thread), so its accesses go unchecked at run time.
    @exclusivity(unchecked) private var cursor = (offset: 0, line: 1, column: 1)

    init(document: JSONDocument, index: FHIRLayoutIndex, limits: FHIRReadLimits, lenient: Bool) {
        self.document = document
        self.index = index
        self.limits = limits
        self.lenient = lenient
    }

    // MARK: Positions and errors

    /// Where node `node` starts (a string at its opening quote).
    func location(of node: Int) -> SourceLocation {
        var target = document.nodes[node].offset
        if document.nodes[node].kind == .string { target -= 1 }
        if target < cursor.offset { cursor = (0, 1, 1) }
        document.bytes.withUnsafeBufferPointer { bytes in
            var (offset, line, column) = cursor
            while offset < target {
                let byte = bytes[offset]
                if byte == UInt8(ascii: "\n") {
                    line += 1
                    column = 1
                } else if byte & 0xC0 != 0x80 {  // count scalars, not continuation bytes
                    column += 1
                }
                offset += 1
            }
            cursor = (offset, line, column)
        }
        return SourceLocation(line: cursor.line, column: cursor.column, byteOffset: target)
    }

    private func failure(_ code: FHIRDiagnostic.Code, _ message: String, path: String, at node: Int) -> FHIRDiagnostic {
        FHIRDiagnostic(code: code, message: message, fhirPath: path, location: location(of: node))
    }

    private func wrongType(_ expected: String, name: String, path: String, at node: Int) -> FHIRDiagnostic {
        failure(
            .wrongType, "expected \(expected) for '\(name)', found \(document.describe(node))", path: path, at: node)
    }

    static func join(_ path: String, _ name: String) -> String { path.isEmpty ? name : path + "." + name }

    /// Checks that `node` is a non-empty object.
    func checkObject(
        _ node: Int, path: @autoclosure () -> String, name: @autoclosure () -> String = "the document"
    ) throws(FHIRDiagnostic) {
        guard document.nodes[node].kind == .object else {
            throw failure(
                .wrongType, "expected an object for \(name()), found \(document.describe(node))", path: path(), at: node
            )
        }
        guard document.nodes[node].count > 0 else {
            throw failure(
                .emptyValue, "empty object: FHIR JSON does not allow {} (leave the element out instead)",
                path: path(), at: node)
        }
    }

    // MARK: Resources

    /// Reads the resource object at `node`, named `name` in its parent (nil at the root).
    /// - Parameter path: the FHIRPath of the resource's place in its parent, for messages;
    ///   built only when a message needs it.
    func resource(
        at node: Int, name: String?, definitionPath: String?, path: () -> String = { "" }
    ) throws(FHIRDiagnostic) -> FHIRElement {
        try checkObject(node, path: path(), name: name.map { "'\($0)'" } ?? "the document")
        var typeNode: Int?
        var key = node + 1
        for _ in 0..<document.nodes[node].count {
            if document.nodes[key].length == 12, document.string(at: key) == "resourceType" { typeNode = key + 1 }
            key = document.nodes[key + 1].end
        }
        guard let typeNode else {
            throw failure(.missing, "missing 'resourceType': a resource must say its type", path: path(), at: node)
        }
        guard document.nodes[typeNode].kind == .string, document.nodes[typeNode].length > 0 else {
            throw wrongType("a resource type name", name: "resourceType", path: path(), at: typeNode)
        }
        let type = document.string(at: typeNode)
        guard let shape = index.resourceShape(type) else {
            throw failure(
                .unsupportedResourceType,
                "unsupported resource type '\(type)' (not a resource type of FHIR R4 or of the loaded packages)",
                path: Self.join(path(), "resourceType"), at: typeNode)
        }
        let resource = FHIRElement(
            name: name ?? type, typeName: type, kind: .resource,
            definitionPath: definitionPath ?? type, location: location(of: node))
        func resourcePath() -> String { name == nil ? type : path() + ".ofType(\(type))" }
        try fill(resource, object: node, shape: shape, path: resourcePath)
        if type == "Bundle" { try checkEntryCount(resource, path: name == nil ? type : path()) }
        return resource
    }

    private func checkEntryCount(_ bundle: FHIRElement, path: String) throws(FHIRDiagnostic) {
        let entries = bundle.children(named: "entry")
        guard entries.count > limits.maxBundleEntries else { return }
        throw FHIRReadLimits.exceeded(
            .maxBundleEntries, value: limits.maxBundleEntries, "the Bundle has \(entries.count) entries, too many",
            fhirPath: path + ".entry", location: entries[0].location)
    }

    // MARK: Objects

    /// The primitive elements of one member of an object being filled: a value and its
    /// `_name` sibling meet here, index by index (only in an object with a `_name` key).
    private struct PrimitiveSlot {
        var slot: Int
        var wireName: String
        var elements: [FHIRElement] = []
        var isArray: Bool
    }

    /// Reads the members of the object at `node` into `element`, typed by `shape`.
    /// - Parameter path: the FHIRPath of `element`, for messages; built only when a message
    ///   needs it, since reading a valid document needs none.
    func fill(
        _ element: FHIRElement, object node: Int, shape: FHIRLayoutIndex.Shape, path: () -> String
    ) throws(FHIRDiagnostic) {
        element.reserveChildren(document.nodes[node].count)
        // Children are put in specification order at the end, when they did not come in it.
        var order = SlotOrder()
        var choices: [(slot: Int, wireName: String)] = []
        // A value and its `_name` sibling are paired index by index. Most objects have no
        // `_name` key: each primitive key then makes its elements alone, with no pairing kept.
        let pairsMetadata = hasMetadataKey(object: node)
        // Few per object, so a list searched in order beats a dictionary.
        var primitives: [PrimitiveSlot] = []
        // The first null in a primitive array of an object without `_name` keys: an error,
        // reported after the other members (as a null left unfilled by pairing is).
        var unfilledNull: (wireName: String, position: Int, isArray: Bool, element: FHIRElement)?
        var key = node + 1
        for _ in 0..<document.nodes[node].count {
            let valueNode = key + 1
            defer { key = document.nodes[valueNode].end }
            let member: FHIRLayoutIndex.Member
            let isMetadata: Bool
            switch lookUp(key, in: shape, inResource: element.kind == .resource) {
            case .resourceType:
                continue
            case .unknown:
                try unknown(document.string(at: key), in: element, path: path, at: key)
                continue
            case .member(let found, let foundMetadata):
                (member, isMetadata) = (found, foundMetadata)
            }
            let wireName = member.wireName
            let name = isMetadata ? "_" + wireName : wireName
            let target = index.target(of: member)
            let primitive = member.isAttribute || target.isPrimitive
            if isMetadata && (!primitive || member.isAttribute) {
                try unknown(name, in: element, path: path, at: key)
                continue
            }
            func childPath() -> String { Self.join(path(), wireName) }
            if member.layout.isChoice {
                if let other = choices.first(where: { $0.slot == member.slot && $0.wireName != wireName }) {
                    throw failure(
                        .multipleChoices,
                        "more than one choice of \(member.layout.name)[x]: \(other.wireName), \(wireName)"
                            + " (a [x] element takes exactly one type)",
                        path: childPath(), at: key)
                }
                choices.append((member.slot, wireName))
            }
            let valueKind = document.nodes[valueNode].kind
            if valueKind == .null {
                throw failure(
                    .unexpectedNull, "'\(name)' is null: FHIR JSON leaves an absent element out instead",
                    path: childPath(), at: valueNode)
            }
            let isArray = valueKind == .array
            if isArray != member.layout.repeats {
                throw wrongType(
                    member.layout.repeats ? "an array" : "a single value, not an array",
                    name: name, path: childPath(), at: valueNode)
            }
            let itemCount = isArray ? document.nodes[valueNode].count : 1
            if itemCount == 0 {
                throw failure(
                    .emptyValue, "empty array: FHIR JSON does not allow [] (leave the element out instead)",
                    path: childPath(), at: valueNode)
            }
            if primitive && !pairsMetadata {
                var item = isArray ? valueNode + 1 : valueNode
                for position in 0..<itemCount {
                    defer { item = document.nodes[item].end }
                    let target = primitiveElement(member, at: isArray ? item : key)
                    element.append(target)
                    order.note(member.slot)
                    if document.nodes[item].kind == .null {
                        if unfilledNull == nil { unfilledNull = (wireName, position, isArray, target) }
                        continue
                    }
                    target.value = try primitiveText(item, type: member.typeName, name: name) {
                        isArray ? childPath() + "[\(position)]" : childPath()
                    }
                }
                continue
            }
            if primitive {
                let known = primitives.firstIndex { $0.slot == member.slot }
                var slot =
                    known.map { primitives[$0] }
                    ?? PrimitiveSlot(slot: member.slot, wireName: wireName, isArray: isArray)
                let isNew = slot.elements.isEmpty
                if !isNew && slot.elements.count != itemCount {
                    let (values, metadata) =
                        isMetadata ? (slot.elements.count, itemCount) : (itemCount, slot.elements.count)
                    throw failure(
                        .invalidValue,
                        "'_\(wireName)' has \(metadata) entries but '\(wireName)' has \(values);"
                            + " the two arrays must line up index by index",
                        path: childPath(), at: valueNode)
                }
                var item = isArray ? valueNode + 1 : valueNode
                for position in 0..<itemCount {
                    defer { item = document.nodes[item].end }
                    func itemPath() -> String { isArray ? childPath() + "[\(position)]" : childPath() }
                    let target: FHIRElement
                    if isNew {
                        target = primitiveElement(member, at: isArray ? item : key)
                        element.append(target)
                        order.note(member.slot)
                        slot.elements.append(target)
                    } else {
                        target = slot.elements[position]
                    }
                    if document.nodes[item].kind == .null { continue }  // a hole; checked below
                    if isMetadata {
                        try checkObject(item, path: itemPath(), name: "'\(name)'")
                        guard let metadataShape = index.shape(ofType: member.typeName) else { continue }
                        try fill(target, object: item, shape: metadataShape, path: itemPath)
                    } else {
                        target.value = try primitiveText(item, type: member.typeName, name: name, path: itemPath)
                    }
                }
                if let known { primitives[known] = slot } else { primitives.append(slot) }
                continue
            }
            var item = isArray ? valueNode + 1 : valueNode
            for position in 0..<itemCount {
                defer { item = document.nodes[item].end }
                func itemPath() -> String { isArray ? childPath() + "[\(position)]" : childPath() }
                if document.nodes[item].kind == .null {
                    throw failure(
                        .unexpectedNull, "'\(name)[\(position)]' is null: only primitive arrays may hold null",
                        path: itemPath(), at: item)
                }
                let child: FHIRElement
                if target.holdsResource {
                    child = try resource(
                        at: item, name: member.layout.name, definitionPath: member.layout.path, path: itemPath)
                    child.repeats = member.layout.repeats
                } else {
                    guard let childShape = target.shape else {
                        throw failure(
                            .unknownElement, "the definitions do not define type '\(member.typeName)'",
                            path: itemPath(), at: item)
                    }
                    try checkObject(item, path: itemPath(), name: "'\(name)'")
                    child = FHIRElement(
                        name: member.layout.name, typeName: member.typeName,
                        kind: member.layout.childrenPath != nil ? .backbone : childShape.kind,
                        definitionPath: member.layout.path, location: location(of: isArray ? item : key),
                        isChoice: member.layout.isChoice, repeats: member.layout.repeats)
                    try fill(child, object: item, shape: childShape, path: itemPath)
                }
                element.append(child)
                order.note(member.slot)
            }
        }
        if let unfilledNull {
            throw Self.nullInBoth(
                unfilledNull.wireName, position: unfilledNull.position, isArray: unfilledNull.isArray,
                element: unfilledNull.element, path: path)
        }
        for slot in primitives {
            for (position, primitive) in slot.elements.enumerated()
            where primitive.value == nil && primitive.children.isEmpty {
                throw Self.nullInBoth(
                    slot.wireName, position: position, isArray: slot.isArray, element: primitive, path: path)
            }
        }
        if !order.isKept {
            // Each child's slot again, from the name it was written with.
            FHIRElementOrder.sort(element, slots: element.children.map { shape.member($0.wireName)?.slot ?? .max })
        }
    }

    /// What an object's key names.
    private enum Key {
        /// A resource's `resourceType`, read before its members.
        case resourceType
        case member(FHIRLayoutIndex.Member, isMetadata: Bool)
        case unknown
    }

    /// What the key at `key` names in `shape`: looked up by its bytes, unless it is written with
    /// escapes (then by its decoded text).
    private func lookUp(_ key: Int, in shape: FHIRLayoutIndex.Shape, inResource: Bool) -> Key {
        let keyNode = document.nodes[key]
        if keyNode.hasEscapes {
            let name = document.string(at: key)
            if inResource && name == "resourceType" { return .resourceType }
            let isMetadata = name.utf8.first == UInt8(ascii: "_")
            let member = shape.member(isMetadata ? String(name.dropFirst()) : name)
            return member.map { .member($0, isMetadata: isMetadata) } ?? .unknown
        }
        return document.bytes.withUnsafeBufferPointer { bytes in
            var name = UnsafeBufferPointer(rebasing: bytes[keyNode.offset..<(keyNode.offset + keyNode.length)])
            if inResource && name.elementsEqual("resourceType".utf8) { return .resourceType }
            let isMetadata = name.first == UInt8(ascii: "_")
            if isMetadata { name = UnsafeBufferPointer(rebasing: name.dropFirst()) }
            return shape.member(utf8: name).map { .member($0, isMetadata: isMetadata) } ?? .unknown
        }
    }

    /// Whether children were appended in specification order: their slots never went back.
    private struct SlotOrder {
        private var last = Int.min
        private(set) var isKept = true

        mutating func note(_ slot: Int) {
            if slot < last { isKept = false }
            last = slot
        }
    }

    /// A primitive element of `member`, located at `node` (the key, or the item of an array).
    private func primitiveElement(_ member: FHIRLayoutIndex.Member, at node: Int) -> FHIRElement {
        FHIRElement(
            name: member.layout.name, typeName: member.typeName, kind: .primitive,
            definitionPath: member.layout.path, location: location(of: node),
            isChoice: member.layout.isChoice, repeats: member.layout.repeats)
    }

    /// Whether the object at `node` has a `_name` key. A key written with escapes might be one.
    private func hasMetadataKey(object node: Int) -> Bool {
        document.bytes.withUnsafeBufferPointer { bytes in
            var key = node + 1
            for _ in 0..<document.nodes[node].count {
                let keyNode = document.nodes[key]
                if keyNode.hasEscapes || (keyNode.length > 0 && bytes[keyNode.offset] == UInt8(ascii: "_")) {
                    return true
                }
                key = document.nodes[key + 1].end
            }
            return false
        }
    }

    /// A null in a primitive array that no `_name` entry fills.
    private static func nullInBoth(
        _ wireName: String, position: Int, isArray: Bool, element: FHIRElement, path: () -> String
    ) -> FHIRDiagnostic {
        FHIRDiagnostic(
            code: .unexpectedNull,
            message: "'\(wireName)[\(position)]' is null in both '\(wireName)' and '_\(wireName)';"
                + " a null is only allowed where the other array has an entry",
            fhirPath: join(path(), wireName) + (isArray ? "[\(position)]" : ""), location: element.location)
    }

    private func unknown(
        _ name: String, in element: FHIRElement, path: () -> String, at key: Int
    ) throws(FHIRDiagnostic) {
        let type = element.kind == .backbone ? (element.definitionPath ?? element.typeName) : element.typeName
        let elementPath = Self.join(path(), name.utf8.first == UInt8(ascii: "_") ? String(name.dropFirst()) : name)
        if lenient {
            dropped.append(
                FHIRDiagnostic(
                    .warning, code: .unknownElement,
                    message: "unknown element '\(name)' was dropped (not part of FHIR R4 \(type))",
                    fhirPath: elementPath, location: location(of: key)))
            return
        }
        throw failure(
            .unknownElement,
            "unknown element '\(name)' (not part of FHIR R4 \(type); read leniently to drop it with a warning)",
            path: elementPath, at: key)
    }

    // MARK: Primitives

    /// The text of a primitive value node, checked against its type.
    private func primitiveText(
        _ node: Int, type: String, name: String, path: () -> String
    ) throws(FHIRDiagnostic) -> String {
        let kind = document.nodes[node].kind
        let text: String
        switch FHIRPrimitiveSyntax.jsonForm(of: type) {
        case .boolean:
            guard kind == .true || kind == .false else {
                throw wrongType("a boolean (true or false)", name: name, path: path(), at: node)
            }
            return kind == .true ? "true" : "false"
        case .integer:
            guard kind == .number else { throw wrongType("a number", name: name, path: path(), at: node) }
            text = document.lexeme(at: node)
            if text.utf8.contains(where: {
                $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E")
            }) {
                throw failure(
                    .wrongType, "expected an integer, found \(text) (FHIR integers have no fraction or exponent)",
                    path: path(), at: node)
            }
        case .decimal:
            guard kind == .number else {
                throw wrongType(
                    "a JSON number (a FHIR decimal is written unquoted)", name: name, path: path(), at: node)
            }
            return document.lexeme(at: node)
        case .string:
            guard kind == .string else { throw wrongType("a string", name: name, path: path(), at: node) }
            guard document.nodes[node].length > 0 else {
                throw failure(
                    .emptyValue, "empty string: FHIR JSON does not allow \"\" (leave the element out instead)",
                    path: path(), at: node)
            }
            text = document.string(at: node)
        }
        if let problem = FHIRPrimitiveSyntax.problem(text, ofType: type) {
            let diagnostic = failure(.invalidPrimitive, problem, path: path(), at: node)
            // A lenient read keeps the text and goes on, so validation reports what follows too.
            guard lenient else { throw diagnostic }
            dropped.append(diagnostic)
        }
        return text
    }
}
