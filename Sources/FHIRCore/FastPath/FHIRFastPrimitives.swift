/// A primitive value type the fast path reads and writes.
package protocol FHIRFastValue: FHIRPrimitiveValue {
    /// The value at the reader's cursor (see ``FHIRFastReader/string()``).
    static func fhirFastRead(_ reader: any FHIRFastReader) throws(FHIRFastBail) -> Self?
    var fhirFastScalar: FHIRFastScalar { get }
}

extension String: FHIRFastValue {
    @inline(__always) package static func fhirFastRead(_ reader: any FHIRFastReader) throws(FHIRFastBail) -> String? {
        try reader.string()
    }
    @inline(__always) package var fhirFastScalar: FHIRFastScalar { .string(self) }
}

extension Bool: FHIRFastValue {
    @inline(__always) package static func fhirFastRead(_ reader: any FHIRFastReader) throws(FHIRFastBail) -> Bool? {
        try reader.bool()
    }
    @inline(__always) package var fhirFastScalar: FHIRFastScalar { .bool(self) }
}

extension Int32: FHIRFastValue {
    @inline(__always) package static func fhirFastRead(_ reader: any FHIRFastReader) throws(FHIRFastBail) -> Int32? {
        try reader.int32()
    }
    @inline(__always) package var fhirFastScalar: FHIRFastScalar { .integer(self) }
}

extension FHIRDecimal: FHIRFastValue {
    @inline(__always) package static func fhirFastRead(_ reader: any FHIRFastReader) throws(FHIRFastBail)
        -> FHIRDecimal?
    {
        try reader.decimal()
    }
    @inline(__always) package var fhirFastScalar: FHIRFastScalar { .decimal(text) }

    /// A decimal whose text the reader has already checked against the grammar.
    @inline(__always) package init(checkedText text: String) { self.text = text }
}

extension FHIRTemporalValue {
    @inline(__always) package static func fhirFastRead(_ reader: any FHIRFastReader) throws(FHIRFastBail) -> Self? {
        guard let text = try reader.string() else { return nil }
        guard let parts = Self.parse(text) else { throw FHIRFastBail() }
        return Self(checkedText: text, parts: parts)
    }
    @inline(__always) package var fhirFastScalar: FHIRFastScalar { .string(text) }
}

extension FHIRDate: FHIRFastValue {}
extension FHIRDateTime: FHIRFastValue {}
extension FHIRInstant: FHIRFastValue {}
extension FHIRTime: FHIRFastValue {}

/// The helpers generated code calls for primitives, choices and repeating members, so the
/// generated files state only which member is which. They are left to the optimizer to inline or
/// not: forcing them inline into every member of every type made FHIRCore's optimized build
/// several times slower for little gain.
package enum FHIRFast {
    // MARK: Reading

    /// Reads a primitive member: JSON `name` (the value; `_name` may have come first), or the
    /// XML element with its value, id and extensions. Choices use this one (their variant is held
    /// in an enum), properties ``primitive(_:into:)``; written as a call to that one it cost 0.8%
    /// (XML → JSON) and 1.3% (JSON → XML) more instructions, so the few lines are kept twice.
    package static func primitive<V: FHIRFastValue>(
        _ reader: any FHIRFastReader, _ existing: FHIRPrimitive<V>?
    ) throws(FHIRFastBail) -> FHIRPrimitive<V> {
        let value = try V.fhirFastRead(reader)
        if reader.isXML { return try xmlPrimitive(reader, consume value) }
        guard let value else { throw FHIRFastBail() }
        guard var existing else { return FHIRPrimitive(value) }
        guard existing.value == nil else { throw FHIRFastBail() }
        existing.value = value
        return existing
    }

    /// Reads a primitive member into the model's property, as ``primitive(_:_:)`` does. In place:
    /// passing the property and assigning the result copied it (a retain and a release of each of
    /// its fields; 0.2% of converting XML to JSON, 0.5% of JSON to XML).
    package static func primitive<V: FHIRFastValue>(
        _ reader: any FHIRFastReader, into property: inout FHIRPrimitive<V>?
    ) throws(FHIRFastBail) {
        let value = try V.fhirFastRead(reader)
        if reader.isXML {
            property = try xmlPrimitive(reader, consume value)
            return
        }
        guard let value else { throw FHIRFastBail() }
        guard var existing = property.take() else {
            property = FHIRPrimitive(value)
            return
        }
        guard existing.value == nil else { throw FHIRFastBail() }
        existing.value = value
        property = existing
    }

    /// The rest of an XML primitive element after its value: `id` and `extension` children.
    /// The value is consumed: borrowed, it was copied into the primitive (a retain and a release).
    package static func xmlPrimitive<V>(
        _ reader: any FHIRFastReader, _ value: consuming V?
    ) throws(FHIRFastBail) -> FHIRPrimitive<V> {
        var primitive = FHIRPrimitive(value)
        try reader.enterPrimitive()
        while try reader.nextMember() {
            try readMetadataMember(reader, id: &primitive.id, extension: &primitive.extension)
        }
        // An element with nothing at all: the Codable path decides what that means.
        if primitive.value == nil && primitive.id == nil && primitive.extension.isEmpty { throw FHIRFastBail() }
        return primitive
    }

    /// One member of a primitive's metadata: `id` or an `extension`.
    static func readMetadataMember(
        _ reader: any FHIRFastReader, id: inout String?, extension: inout [Extension]
    ) throws(FHIRFastBail) {
        let name = reader.name
        if name.count == 2 && name.equals("id") {
            guard id == nil else { throw FHIRFastBail() }
            id = try reader.plainString()
        } else if name.count == 9 && name.equals("extension") {
            try reader.order(1, repeats: true)
            try appendItems(reader, to: &`extension`)
        } else {
            throw FHIRFastBail()
        }
    }

    /// Reads JSON `_name`: the id and extensions of a primitive, merged into what `name` gave.
    package static func metadata<V>(
        _ reader: any FHIRFastReader, _ existing: FHIRPrimitive<V>?
    ) throws(FHIRFastBail) -> FHIRPrimitive<V> {
        guard !reader.isXML else { throw FHIRFastBail() }
        var primitive = existing ?? FHIRPrimitive(nil)
        guard primitive.id == nil && primitive.extension.isEmpty else { throw FHIRFastBail() }
        try readMetadataObject(reader, id: &primitive.id, extension: &primitive.extension)
        return primitive
    }

    /// Reads JSON `_name` into the model's property, as ``metadata(_:_:)`` does, in place.
    package static func metadata<V>(
        _ reader: any FHIRFastReader, into property: inout FHIRPrimitive<V>?
    ) throws(FHIRFastBail) {
        guard !reader.isXML else { throw FHIRFastBail() }
        var primitive = property.take() ?? FHIRPrimitive(nil)
        guard primitive.id == nil && primitive.extension.isEmpty else { throw FHIRFastBail() }
        try readMetadataObject(reader, id: &primitive.id, extension: &primitive.extension)
        property = primitive
    }

    /// A JSON `{"id": …, "extension": […]}` object (not empty).
    static func readMetadataObject(
        _ reader: any FHIRFastReader, id: inout String?, extension: inout [Extension]
    ) throws(FHIRFastBail) {
        try reader.enterObject()
        while try reader.nextMember() {
            try readMetadataMember(reader, id: &id, extension: &`extension`)
        }
    }

    /// Reads an item of a repeating primitive: one XML element, or the JSON `name` array, whose
    /// `null` holes the `_name` array (before or after it) must fill.
    package static func primitiveItems<V: FHIRFastValue>(
        _ reader: any FHIRFastReader, _ items: inout [FHIRPrimitive<V>]
    ) throws(FHIRFastBail) {
        if reader.isXML {
            let value = try V.fhirFastRead(reader)
            items.append(try xmlPrimitive(reader, consume value))
            return
        }
        let count = try reader.beginRepeating()
        let merging = !items.isEmpty  // `_name` came first
        if merging {
            guard items.count == count else { throw FHIRFastBail() }
        } else {
            items.reserveCapacity(count)
        }
        for index in 0..<count {
            var value: V?
            if !reader.skipNull() {
                guard let read = try V.fhirFastRead(reader) else { throw FHIRFastBail() }
                value = read
            }
            if merging {
                items[index].value = value
            } else {
                items.append(FHIRPrimitive(value))
            }
        }
    }

    /// Reads JSON `_name` of a repeating primitive, merging each entry into the item at its index.
    package static func metadataItems<V>(
        _ reader: any FHIRFastReader, _ items: inout [FHIRPrimitive<V>]
    ) throws(FHIRFastBail) {
        guard !reader.isXML else { throw FHIRFastBail() }
        let count = try reader.beginRepeating()
        let merging = !items.isEmpty  // `name` came first
        if merging {
            guard items.count == count, items.allSatisfy({ !$0.hasMetadata }) else { throw FHIRFastBail() }
        }
        for index in 0..<count {
            var item = merging ? items[index] : FHIRPrimitive(nil)
            if !reader.skipNull() {
                try readMetadataObject(reader, id: &item.id, extension: &item.extension)
            }
            if merging {
                items[index] = item
            } else {
                items.append(item)
            }
        }
    }

    /// Checks, after an object, that no item of a repeating primitive is empty (a JSON `null`
    /// that no `_name` entry filled).
    package static func checkItems<V>(_ items: [FHIRPrimitive<V>]) throws(FHIRFastBail) {
        for item in items where item.value == nil && item.id == nil && item.extension.isEmpty {
            throw FHIRFastBail()
        }
    }

    /// Appends the items of a repeating complex member (or resource member).
    package static func appendItems<Element: FHIRFastCodable>(
        _ reader: any FHIRFastReader, to items: inout [Element]
    ) throws(FHIRFastBail) {
        let count = try reader.beginRepeating()
        if count > 1 { items.reserveCapacity(items.count + count) }
        for _ in 0..<count { items.append(try Element(fhirFast: reader)) }
    }

    /// A single complex member, boxed as the models store it; given twice (XML) it is left to
    /// the Codable path.
    package static func boxed<Element: FHIRFastCodable>(
        _ reader: any FHIRFastReader, _ existing: Box<Element>?
    ) throws(FHIRFastBail) -> Box<Element> {
        guard case .none = existing else { throw FHIRFastBail() }
        return Box(try Element(fhirFast: reader))
    }

    // MARK: Writing
    //
    // Values are read in place: arrays by index (a `for … in` loop copies each element), single
    // values through overloads for both optional and plain values (wrapping a value in an
    // Optional to pass it copies it), boxed values through `borrowedValue`.

    package static func write<V: FHIRFastValue>(
        _ writer: any FHIRFastWriter, _ name: StaticString, _ metadataName: StaticString, _ primitive: FHIRPrimitive<V>?
    ) throws(FHIRFastBail) {
        guard let primitive else { return }
        try writer.primitive(
            name, metadataName, primitive.value?.fhirFastScalar, id: primitive.id,
            extension: primitive.extension)
    }

    /// A choice's primitive variant (a plain value).
    package static func write<V: FHIRFastValue>(
        _ writer: any FHIRFastWriter, _ name: StaticString, _ metadataName: StaticString,
        value primitive: FHIRPrimitive<V>
    ) throws(FHIRFastBail) {
        try writer.primitive(
            name, metadataName, primitive.value?.fhirFastScalar, id: primitive.id,
            extension: primitive.extension)
    }

    /// A repeating primitive: XML repeats the element; JSON writes `name` with `null` where an
    /// item has no value, and `_name` when any item has an id or extensions. Arrays the Codable
    /// path writes in its own way (an empty item, no value at all) are left to it.
    package static func write<V: FHIRFastValue>(
        _ writer: any FHIRFastWriter, _ name: StaticString, _ metadataName: StaticString,
        _ items: [FHIRPrimitive<V>]
    ) throws(FHIRFastBail) {
        guard !items.isEmpty else { return }
        var anyValue = false, anyMetadata = false
        for index in items.indices {
            let hasMetadata = items[index].hasMetadata
            let hasValue = items[index].value != nil
            guard hasValue || hasMetadata else { throw FHIRFastBail() }
            anyValue = anyValue || hasValue
            anyMetadata = anyMetadata || hasMetadata
        }
        guard anyValue else { throw FHIRFastBail() }
        if writer.isXML {
            for index in items.indices {
                try writer.primitive(
                    name, metadataName, items[index].value?.fhirFastScalar, id: items[index].id,
                    extension: items[index].extension)
            }
            return
        }
        try writer.beginArray(name)
        for index in items.indices { try writer.arrayItem(items[index].value?.fhirFastScalar) }
        writer.endArray(name)
        guard anyMetadata else { return }
        try writer.beginArray(metadataName)
        for index in items.indices {
            if items[index].hasMetadata {
                try writer.beginObject(metadataName)
                try writeMetadata(writer, id: items[index].id, extension: items[index].extension)
                try writer.endObject(metadataName)
            } else {
                writer.arrayNull()
            }
        }
        writer.endArray(metadataName)
    }

    /// The members of a primitive's metadata (JSON `_name` object; XML attributes and children).
    package static func writeMetadata(
        _ writer: any FHIRFastWriter, id: String?, extension: [Extension]
    ) throws(FHIRFastBail) {
        if let id { try writer.plainString("id", id) }
        try write(writer, "extension", `extension`)
    }

    /// A repeating complex member.
    package static func write<Element: FHIRFastCodable>(
        _ writer: any FHIRFastWriter, _ name: StaticString, _ items: [Element]
    ) throws(FHIRFastBail) {
        guard !items.isEmpty else { return }
        try writer.beginArray(name)
        // Swift 6.3 copies an array item it calls a method on (a retain and a release of every
        // field, through the subscript, a buffer pointer or a Span alike), but not a value it
        // reaches through an `inout` parameter. So each item is lent to `writeLent` as `inout`,
        // through a mutable view of the array's buffer that nothing writes to: 2% fewer
        // instructions per JSON → XML conversion, measured.
        try items.withUnsafeBufferPointer { (buffer) throws(FHIRFastBail) in
            let lent = UnsafeMutableBufferPointer(mutating: buffer)
            for index in lent.indices {
                try writer.beginObject(name)
                try writeLent(&lent[index], to: writer)
                try writer.endObject(name)
            }
        }
        writer.endArray(name)
    }

    /// Writes `item` without copying it; see the repeating member's `write` above. It only reads
    /// `item`: the `inout` is how the caller avoids the copy, not a licence to change the array.
    /// Since nothing is written, threads may encode the same (shared, immutable) model at once.
    @inline(__always)
    private static func writeLent<Element: FHIRFastCodable>(
        _ item: inout Element, to writer: any FHIRFastWriter
    ) throws(FHIRFastBail) {
        try item.fhirFastWrite(to: writer)
    }

    /// A single complex member (a choice's complex variant).
    package static func write<Element: FHIRFastCodable>(
        _ writer: any FHIRFastWriter, _ name: StaticString, value: Element
    ) throws(FHIRFastBail) {
        try writer.beginObject(name)
        try value.fhirFastWrite(to: writer)
        try writer.endObject(name)
    }

    /// A single complex member, written from its box without copying it out.
    package static func write<Element: FHIRFastCodable>(
        _ writer: any FHIRFastWriter, _ name: StaticString, _ box: Box<Element>?
    ) throws(FHIRFastBail) {
        guard let box else { return }
        try writer.beginObject(name)
        try box.borrowedValue.fhirFastWrite(to: writer)
        try writer.endObject(name)
    }

    /// A single resource member (`Bundle.entry.resource`).
    package static func write(_ writer: any FHIRFastWriter, _ name: StaticString, _ resource: AnyResource?)
        throws(FHIRFastBail)
    {
        guard let resource else { return }
        try writer.beginResourceSlot(name)
        try resource.fhirFastWrite(to: writer)
        try writer.endResourceSlot(name)
    }

    /// A repeating resource member (`contained`).
    package static func write(_ writer: any FHIRFastWriter, _ name: StaticString, _ resources: [AnyResource])
        throws(FHIRFastBail)
    {
        guard !resources.isEmpty else { return }
        try writer.beginArray(name)
        for index in resources.indices {
            try writer.beginResourceSlot(name)
            try resources[index].fhirFastWrite(to: writer)
            try writer.endResourceSlot(name)
        }
        writer.endArray(name)
    }
}

extension Box: FHIRFastCodable where Wrapped: FHIRFastCodable {
    package init(fhirFast reader: any FHIRFastReader) throws(FHIRFastBail) {
        self.init(try Wrapped(fhirFast: reader))
    }

    package func fhirFastWrite(to writer: any FHIRFastWriter) throws(FHIRFastBail) {
        try value.fhirFastWrite(to: writer)
    }
}
