import FHIRCore

/// Where one encoded value goes: the element `<name>` under `parent`, created on first write.
///
/// For a primitive's `_name` part the slot is bound to the element the value already created,
/// so `value`, `id` and `extension` end up on one XML element.
final class XMLEncodingSlot {
    /// The element the slot writes into, once it exists.
    private(set) var element: XMLElement?
    /// The parent element; nil only for the document root.
    let parent: XMLElement?
    /// The element name (the JSON key).
    let name: String
    /// Receives the element when it is created, so `_name` can find it.
    private let record: ((XMLElement) -> Void)?
    /// Receives the root element (document slot only).
    private let setRoot: ((XMLElement) -> Void)?

    init(parent: XMLElement, name: String, record: ((XMLElement) -> Void)?) {
        self.parent = parent
        self.name = name
        self.record = record
        setRoot = nil
    }

    init(existing: XMLElement) {
        element = existing
        parent = nil
        name = existing.name
        record = nil
        setRoot = nil
    }

    init(documentRoot setRoot: @escaping (XMLElement) -> Void) {
        parent = nil
        name = ""
        record = nil
        self.setRoot = setRoot
    }

    var isDocument: Bool { setRoot != nil }

    /// A new slot for the next element of the same name under the same parent (array items).
    func sibling() -> XMLEncodingSlot {
        guard let parent else { return XMLEncodingSlot(documentRoot: setRoot ?? { _ in }) }
        return XMLEncodingSlot(parent: parent, name: name, record: record)
    }

    /// The slot's element, created (empty, in the FHIR namespace) on first use.
    func materialize() -> XMLElement {
        if let element { return element }
        let created = XMLElement(name: name, namespace: XMLNamespace.fhir)
        place(created)
        return created
    }

    /// Puts a ready-made element (the narrative `div`) in the slot.
    func place(_ created: XMLElement) {
        element = created
        if let parent { parent.children.append(.element(created)) }
        record?(created)
        setRoot?(created)
    }
}

extension EncodingError {
    /// An encoding error carrying a ``FHIRDiagnostic``.
    static func xml(
        _ value: Any, _ code: FHIRDiagnostic.Code, _ message: String,
        at codingPath: [any CodingKey]
    ) -> EncodingError {
        .invalidValue(
            value,
            Context(
                codingPath: codingPath, debugDescription: message,
                underlyingError: FHIRDiagnostic(code: code, message: message)))
    }
}

/// Checks text before it is written: XML 1.0 cannot carry C0 controls other than tab, line
/// feed and carriage return, and FHIR forbids empty values.
func checkWritable(_ text: String, at codingPath: [any CodingKey]) throws {
    if text.isEmpty {
        throw EncodingError.xml(text, .emptyValue, "empty value: FHIR leaves out empty strings", at: codingPath)
    }
    if let scalar = XMLSerializer.firstUnwritableCharacter(in: text) {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        throw EncodingError.xml(
            text, .invalidValue,
            "character U+\(String(repeating: "0", count: max(0, 4 - hex.count)))\(hex) cannot be written in XML 1.0",
            at: codingPath)
    }
}
