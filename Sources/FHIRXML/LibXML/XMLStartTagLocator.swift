internal import CLibXML2

/// Finds where the start tag libxml2 has just read begins, and its column, for the element
/// readers' locations (libxml2 records only the line of an element).
///
/// Counted in the document as given, at the parser's absolute position (its `consumed` plus
/// its place in the buffer), so the answer is the same whether libxml2 has dropped read input
/// from its buffer or not, and for the DOM parse and the SAX pass alike. When libxml2 converts
/// the input from another encoding, its buffer is not the document's bytes: then the count is
/// made in that buffer, as far back as it reaches.
struct XMLStartTagLocator {
    /// The document as given to the reader.
    let source: UnsafeRawBufferPointer
    /// Bytes of `source` before what libxml2 parses (a leading XML declaration left out).
    let shift: Int

    /// The last start tag counted: the buffer it was counted in, its offset there, its column.
    /// A document on one line (compact XML) then costs one pass, not one per element.
    private var mark: (buffer: UnsafeRawPointer, offset: Int, column: Int)?

    init(source: UnsafeRawBufferPointer, shift: Int = 0) {
        self.source = source
        self.shift = shift
    }

    /// Whether libxml2 parses the input as given (no encoding conversion), so that offsets in
    /// its input are offsets in ``source``.
    static func readsSourceAsGiven(_ ctxt: xmlParserCtxtPtr) -> Bool {
        ctxt.pointee.input?.pointee.buf?.pointee.encoder == nil
    }

    /// The offset in ``source`` where the parser stands (after a start tag: at its `>` or `/>`;
    /// after an end tag: just past it), or nil when libxml2 converts the input's encoding.
    func offset(_ ctxt: xmlParserCtxtPtr) -> Int? {
        guard Self.readsSourceAsGiven(ctxt), let input = ctxt.pointee.input, let base = input.pointee.base,
            let cursor = input.pointee.cur
        else { return nil }
        return shift + Int(input.pointee.consumed) + (cursor - base)
    }

    /// The start tag the parser has just read (it stands at its `>` or `/>`): the offset of its
    /// `<` in ``source`` (nil when the input is converted), and its column, in Unicode scalars
    /// from 1.
    mutating func startTag(_ ctxt: xmlParserCtxtPtr) -> (offset: Int?, column: Int)? {
        guard let input = ctxt.pointee.input, let base = input.pointee.base, let cursor = input.pointee.cur else {
            return nil
        }
        let buffer: UnsafeRawPointer
        var position: Int
        if let offset = offset(ctxt), offset < source.count, let start = source.baseAddress {
            (buffer, position) = (start, offset)
        } else {
            (buffer, position) = (UnsafeRawPointer(base), cursor - base)
        }
        let bytes = buffer.assumingMemoryBound(to: UInt8.self)
        // A raw `<` cannot occur inside attribute values, so the nearest `<` behind the parser
        // opens this tag.
        while position > 0 && bytes[position] != UInt8(ascii: "<") { position -= 1 }
        // Counted back to the line's start, or to the previous start tag on the same line.
        var stop = 0
        if let mark, mark.buffer == buffer, mark.offset <= position { stop = mark.offset }
        var column = 1
        var scan = position
        while scan > stop && bytes[scan - 1] != UInt8(ascii: "\n") {
            scan -= 1
            if bytes[scan] & 0xC0 != 0x80 { column += 1 }  // count scalars, not continuation bytes
        }
        if scan == stop, let mark, mark.buffer == buffer, mark.offset == stop { column += mark.column - 1 }
        mark = (buffer, position, column)
        return (buffer == source.baseAddress ? position : nil, column)
    }
}
