// The fast path: generated, allocation-light decoding and encoding beside the Codable path.
//
// Every model also has `init(fhirFast:)` and `fhirFastWrite(to:)`, generated from the same
// StructureDefinitions. They drive a format's reader or writer directly: members are matched by
// a switch on their name's packed bytes, with no coding keys, containers, `String` keys or
// dictionaries. The fast path handles the common, well-formed case only. Anything else (an
// unknown element, a null, an empty value, XML out of order, a value XML cannot carry...) throws
// ``FHIRFastBail``, and the codec then runs the Codable path on the same input, which either
// accepts it or reports the exact diagnostic. So the fast path never decides what is valid; it
// must only never accept what the Codable path refuses, nor produce a different model or output.
// The tests check both over the whole corpus.
//
// `package` access: only ivig-fhir's own codecs see any of this.

/// The fast path gives up; the caller falls back to the Codable path.
package struct FHIRFastBail: Error {
    @inline(__always) package init() {}
}

/// A model the fast path can read and write.
package protocol FHIRFastCodable {
    /// Reads the value at the reader's cursor (an object, a resource, an element).
    init(fhirFast reader: any FHIRFastReader) throws(FHIRFastBail)
    /// Writes the value's members (a resource also writes its own start and end).
    func fhirFastWrite(to writer: any FHIRFastWriter) throws(FHIRFastBail)
}

/// A member name inside a reader's buffer, valid until the reader moves on.
package struct FHIRName {
    package let start: UnsafePointer<UInt8>
    package let count: Int

    @inline(__always) package init(start: UnsafePointer<UInt8>, count: Int) {
        self.start = start
        self.count = count
    }

    /// The key the generated switches match: names of up to 8 bytes packed little-endian (exact),
    /// longer ones mixed from their first and last 8 bytes and length. The generator computes the
    /// same function and checks that no two names of one type share a key; a longer name is then
    /// confirmed with ``equals(_:)``, a shorter one by its length.
    @inline(__always) package var key: UInt64 {
        let raw = UnsafeRawPointer(start)
        if count >= 8 {
            let first = raw.loadUnaligned(as: UInt64.self)
            if count == 8 { return UInt64(littleEndian: first) }
            let last = raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
            return (UInt64(littleEndian: first) &* 0x9E37_79B9_7F4A_7C15)
                ^ (UInt64(littleEndian: last) &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(count)
        }
        var packed: UInt64 = 0
        var index = 0
        while index < count {
            packed |= UInt64(start[index]) << (8 * UInt64(index))
            index += 1
        }
        return packed
    }

    /// Whether the name is exactly `text`.
    @inline(__always) package func equals(_ text: StaticString) -> Bool {
        guard count == text.utf8CodeUnitCount else { return false }
        let expected = text.utf8Start
        var index = 0
        while index < count {
            if start[index] != expected[index] { return false }
            index += 1
        }
        return true
    }
}

/// A wire format's reader as the generated models drive it.
///
/// The reader has a cursor on a value. ``enterObject()`` (or ``enterResource(_:)``) steps into
/// the object there; ``nextMember()`` then moves to each member in turn, setting ``name`` and
/// putting the cursor on the member's value, which the model must read (or skip) before asking
/// for the next member. When the members are done, ``nextMember()`` returns `false` and the
/// cursor is after the object.
///
/// JSON: members are object keys (`status`, `_status`); a repeating member's value is an array.
/// XML: members are child elements, and first the `id` attribute (and `url` on extensions) as
/// members of their own; a repeating member is one element per item.
package protocol FHIRFastReader: AnyObject {
    /// `true` for XML, where a primitive's value, id and extensions share one element.
    var isXML: Bool { get }
    /// The current member's name.
    var name: FHIRName { get }
    /// XML: checks the member comes in specification order (`ordinal` never decreases, and
    /// repeats only for a repeating element). JSON: nothing to check.
    func order(_ ordinal: Int, repeats: Bool) throws(FHIRFastBail)
    /// Steps into the object (complex element) at the cursor.
    func enterObject() throws(FHIRFastBail)
    /// Steps into the resource at the cursor, which must be of `type`.
    func enterResource(_ type: StaticString) throws(FHIRFastBail)
    /// The type of the resource at the cursor (JSON `resourceType`, or the XML element name
    /// inside a wrapper such as `<contained>`), without moving.
    func resourceType() throws(FHIRFastBail) -> FHIRName
    /// Moves to the next member of the current object, or leaves it (`false`).
    func nextMember() throws(FHIRFastBail) -> Bool
    /// Skips the `resourceType` member of a JSON resource (checked on entry).
    func skipResourceType() throws(FHIRFastBail)
    /// The number of items of a repeating member, with the cursor on the first: the length of a
    /// JSON array (at least 1), or the number of XML elements of its name in a row.
    func beginRepeating() throws(FHIRFastBail) -> Int
    /// JSON: whether the value at the cursor is `null` (a hole in a primitive array); it is
    /// then skipped.
    func skipNull() -> Bool

    /// A primitive's value: the JSON value (of the right JSON type, not empty), or the XML
    /// `value` attribute (nil when absent). In JSON the cursor moves past the value; in XML it
    /// stays on the element, whose id and extensions are read next as members (``enterPrimitive()``).
    func string() throws(FHIRFastBail) -> String?
    func bool() throws(FHIRFastBail) -> Bool?
    func int32() throws(FHIRFastBail) -> Int32?
    func decimal() throws(FHIRFastBail) -> FHIRDecimal?
    /// XML: steps into a primitive's element, whose members are then `id` and `extension`.
    func enterPrimitive() throws(FHIRFastBail)
    /// `Element.id` or `Extension.url`: a JSON string, or an XML attribute.
    func plainString() throws(FHIRFastBail) -> String
    /// The narrative `div` as XHTML text.
    func xhtml() throws(FHIRFastBail) -> String
}

/// A scalar as a writer writes it.
package enum FHIRFastScalar {
    /// Text: quoted in JSON (codes, strings, dates).
    case string(String)
    /// A decimal's exact text: unquoted in JSON.
    case decimal(String)
    case bool(Bool)
    case integer(Int32)
}

/// A wire format's writer as the generated models drive it. Names are the JSON names (and the
/// XML element names); `metadataName` is a primitive's `_name`.
package protocol FHIRFastWriter: AnyObject {
    /// `true` for XML, where `Extension.url` is an attribute and must come before the children.
    var isXML: Bool { get }
    /// Starts a resource (JSON: `{"resourceType":"T"`; XML: `<T>`).
    func beginResource(_ type: StaticString) throws(FHIRFastBail)
    func endResource(_ type: StaticString) throws(FHIRFastBail)
    /// The member that holds a resource (`contained`, `resource`): in XML its wrapper element.
    func beginResourceSlot(_ name: StaticString) throws(FHIRFastBail)
    func endResourceSlot(_ name: StaticString) throws(FHIRFastBail)
    /// Starts a complex element (a member, or an item of the array begun last).
    func beginObject(_ name: StaticString) throws(FHIRFastBail)
    /// Ends it. JSON refuses an element that wrote nothing; XML leaves it out.
    func endObject(_ name: StaticString) throws(FHIRFastBail)
    /// A repeating member: JSON writes an array; XML repeats the element for each item.
    func beginArray(_ name: StaticString) throws(FHIRFastBail)
    func endArray(_ name: StaticString)
    /// `Element.id` or `Extension.url`.
    func plainString(_ name: StaticString, _ value: String) throws(FHIRFastBail)
    /// A primitive: its value and its `_name` part (id, extensions).
    func primitive(
        _ name: StaticString, _ metadataName: StaticString, _ value: FHIRFastScalar?,
        id: String?, extension: [Extension]) throws(FHIRFastBail)
    /// JSON: an item of a primitive array's value array (`nil`: `null`).
    func arrayItem(_ value: FHIRFastScalar?) throws(FHIRFastBail)
    /// JSON: a `null` item of a `_name` array.
    func arrayNull()
    /// The narrative `div`.
    func xhtml(_ name: StaticString, _ text: String) throws(FHIRFastBail)
}
