/// The few places where FHIR's wire formats treat an element specially, stated once for the
/// element model's readers and writers of both formats.
public enum FHIRElementWireForm {
    /// Whether an element is written as an XML attribute and as a plain JSON string with no
    /// `_name` sibling: the `id` of any element that is not a resource (`Element.id`), and
    /// `Extension.url`.
    /// - Parameters:
    ///   - name: the element's name.
    ///   - ownerKind: the kind of the element holding it.
    ///   - ownerType: the type (or definition path) of the element holding it.
    public static func isAttribute(_ name: String, ownerKind: FHIRElement.Kind, ownerType: String) -> Bool {
        switch name {
        case "id": ownerKind != .resource
        case "url": ownerType == "Extension"
        default: false
        }
    }

    /// Whether `element` is written as an XML attribute of its parent (see
    /// ``isAttribute(_:ownerKind:ownerType:)``).
    public static func isAttribute(_ element: FHIRElement) -> Bool {
        guard let parent = element.parent, element.kind == .primitive else { return false }
        return isAttribute(element.name, ownerKind: parent.kind, ownerType: parent.typeName)
    }

    /// Whether the JSON form of a primitive of `typeName` is a bare token (`true`, `12`, `1.50`)
    /// rather than a string.
    public static func isUnquotedInJSON(_ typeName: String) -> Bool {
        FHIRPrimitiveSyntax.jsonForm(of: typeName) != .string
    }
}

/// Putting an element's children in specification order.
public enum FHIRElementOrder {
    /// Sorts `element`'s children by `slots` (each child's position in its type's layout,
    /// parallel to the children), keeping the order among children of one slot; does nothing
    /// when they are in order already.
    public static func sort(_ element: FHIRElement, slots: [Int]) {
        var sorted = true
        for position in slots.indices.dropFirst() where slots[position] < slots[position - 1] {
            sorted = false
            break
        }
        guard !sorted else { return }
        let order = slots.indices.sorted { slots[$0] != slots[$1] ? slots[$0] < slots[$1] : $0 < $1 }
        let children = element.children
        element.setChildren(order.map { children[$0] })
    }
}
