public import FHIRCore
public import FHIRElementModel

/// Writes an ``FHIRElement`` tree as FHIR JSON, compact or pretty, laid out as
/// ``FHIRJSONEncoder`` lays out the generated models: `resourceType` first, then the children
/// in the tree's (specification) order, a primitive's value as its exact text (numbers and
/// booleans unquoted), its id and extensions in the `_name` sibling (index-aligned arrays with
/// `null` holes for repeating primitives), a repeating element always as an array.
public struct FHIRElementJSONWriter: Sendable {
    /// Newlines and two-space indentation, with `"key": value`.
    public var pretty: Bool

    /// Creates a writer.
    public init(pretty: Bool = false) { self.pretty = pretty }

    /// Writes a resource (or any element, as an object) as a JSON document.
    /// - Throws: ``FHIRDiagnostic`` when an element has nothing to write (an empty object).
    public func write(_ element: FHIRElement) throws(FHIRDiagnostic) -> [UInt8] {
        let out = OutputBytes(capacity: 8192)
        try ElementJSONOutput(out: out, pretty: pretty).object(element, depth: 0)
        if pretty { out.append(UInt8(ascii: "\n")) }
        return out.bytes
    }
}

/// One write: the output and its layout.
private struct ElementJSONOutput {
    let out: OutputBytes
    let pretty: Bool

    private func newline(_ depth: Int) {
        guard pretty else { return }
        out.append(UInt8(ascii: "\n"))
        for _ in 0..<depth { out.append("  ") }
    }

    private func item(first: Bool, depth: Int) {
        if !first { out.append(UInt8(ascii: ",")) }
        newline(depth)
    }

    private func key(_ name: String) {
        JSONEscapes.appendQuoted(name, to: out)
        out.append(UInt8(ascii: ":"))
        if pretty { out.append(UInt8(ascii: " ")) }
    }

    /// `{…}` holding `element`'s children (and `resourceType` for a resource).
    func object(_ element: FHIRElement, depth: Int) throws(FHIRDiagnostic) {
        out.append(UInt8(ascii: "{"))
        var first = true
        if element.kind == .resource {
            item(first: true, depth: depth + 1)
            key("resourceType")
            JSONEscapes.appendQuoted(element.typeName, to: out)
            first = false
        }
        let children = element.children
        var start = 0
        while start < children.count {
            var end = start + 1
            while end < children.count && children[end].name == children[start].name { end += 1 }
            try member(children[start..<end], first: first, depth: depth + 1)
            first = false
            start = end
        }
        if first {
            throw FHIRDiagnostic(code: .emptyValue, message: "\(element.name) has nothing in it (FHIR JSON allows no {})",
                                 fhirPath: element.fhirPath)
        }
        newline(depth)
        out.append(UInt8(ascii: "}"))
    }

    /// One member: consecutive children of one name.
    private func member(_ group: ArraySlice<FHIRElement>, first: Bool, depth: Int) throws(FHIRDiagnostic) {
        let head = group[group.startIndex]
        let asArray = head.repeats || group.count > 1
        guard head.kind == .primitive else {
            item(first: first, depth: depth)
            key(head.wireName)
            guard asArray else { return try object(head, depth: depth) }
            out.append(UInt8(ascii: "["))
            for (position, element) in group.enumerated() {
                item(first: position == 0, depth: depth + 1)
                try object(element, depth: depth + 1)
            }
            newline(depth)
            out.append(UInt8(ascii: "]"))
            return
        }
        var wroteValue = false
        if group.contains(where: { $0.value != nil }) {
            item(first: first, depth: depth)
            key(head.wireName)
            wroteValue = true
            if asArray { out.append(UInt8(ascii: "[")) }
            for (position, element) in group.enumerated() {
                if asArray { item(first: position == 0, depth: depth + 1) }
                if let value = element.value { scalar(value, type: element.typeName) } else { out.append("null") }
            }
            if asArray {
                newline(depth)
                out.append(UInt8(ascii: "]"))
            }
        }
        guard group.contains(where: { !$0.children.isEmpty }) else { return }
        item(first: first && !wroteValue, depth: depth)
        key("_" + head.wireName)
        if asArray { out.append(UInt8(ascii: "[")) }
        for (position, element) in group.enumerated() {
            if asArray { item(first: position == 0, depth: depth + 1) }
            if element.children.isEmpty { out.append("null") } else { try object(element, depth: asArray ? depth + 1 : depth) }
        }
        if asArray {
            newline(depth)
            out.append(UInt8(ascii: "]"))
        }
    }

    private func scalar(_ value: String, type: String) {
        if FHIRElementWireForm.isUnquotedInJSON(type) {
            out.appendString(value)
        } else {
            JSONEscapes.appendQuoted(value, to: out)
        }
    }
}
