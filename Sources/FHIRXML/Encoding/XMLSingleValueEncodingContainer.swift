import FHIRCore

/// Writes a primitive as the `value` attribute of its element, or the narrative as an XHTML
/// subtree.
struct XMLSingleValueEncodingContainer: FHIRSingleValueEncodingContainer {
    let slot: XMLEncodingSlot
    let codingPath: [any CodingKey]

    private func writeValue(_ text: String) throws {
        try checkWritable(text, at: codingPath)
        slot.materialize().setAttribute("value", text)
    }

    mutating func encodeNil() throws { _ = slot.materialize() }
    mutating func encode(_ value: Bool) throws { try writeValue(value ? "true" : "false") }
    mutating func encode(_ value: String) throws { try writeValue(value) }
    mutating func encode(_ value: Int32) throws { try writeValue(String(value)) }
    mutating func encodeDecimalText(_ text: String) throws { try writeValue(text) }

    /// Parses the XHTML with the same hardened parser as any input and writes it as a subtree.
    mutating func encodeXHTML(_ xhtml: String) throws {
        let parser = XMLDocumentParser(limits: .default)
        let parsed = Array(xhtml.utf8).withUnsafeBytes { buffer in
            Result { () throws(FHIRDiagnostic) in try parser.parse(buffer) }
        }
        let div: XMLElement
        switch parsed {
        case .success(let root): div = root
        case .failure(let diagnostic):
            let position = diagnostic.location.map { " at \($0.line):\($0.column) of the div" } ?? ""
            throw EncodingError.xml(
                xhtml, .invalidValue,
                "narrative div is not well-formed XHTML\(position): \(diagnostic.message)",
                at: codingPath)
        }
        guard div.name == "div", div.namespace == XMLNamespace.xhtml else {
            throw EncodingError.xml(
                xhtml, .invalidValue,
                "narrative must be <div xmlns=\"\(XMLNamespace.xhtml)\">…</div>, found <\(div.name)> in namespace"
                    + " '\(div.namespace ?? "")'",
                at: codingPath)
        }
        slot.place(div)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        switch value {
        case let text as String: try encode(text)
        case let flag as Bool: try encode(flag)
        case let number as Int32: try encode(number)
        default:
            try value.encode(to: XMLNodeEncoder(slot: slot, isMetadata: false, existing: [], codingPath: codingPath))
        }
    }

    private func unsupported(_ value: Any) -> EncodingError {
        EncodingError.xml(value, .wrongType, "FHIR primitives are never \(type(of: value))", at: codingPath)
    }

    mutating func encode(_ value: Double) throws { throw unsupported(value) }
    mutating func encode(_ value: Float) throws { throw unsupported(value) }
    mutating func encode(_ value: Int) throws { throw unsupported(value) }
    mutating func encode(_ value: Int8) throws { throw unsupported(value) }
    mutating func encode(_ value: Int16) throws { throw unsupported(value) }
    mutating func encode(_ value: Int64) throws { throw unsupported(value) }
    mutating func encode(_ value: UInt) throws { throw unsupported(value) }
    mutating func encode(_ value: UInt8) throws { throw unsupported(value) }
    mutating func encode(_ value: UInt16) throws { throw unsupported(value) }
    mutating func encode(_ value: UInt32) throws { throw unsupported(value) }
    mutating func encode(_ value: UInt64) throws { throw unsupported(value) }
}
