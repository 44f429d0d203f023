/// A position in an input document: 1-based line and column (in Unicode scalars), and the
/// byte offset it was computed from.
///
/// Readers record only byte offsets while they work; line and column are computed when an
/// error is reported (``init(byteOffset:in:)``), so the happy path pays nothing for them.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    /// 1-based line.
    public var line: Int
    /// 1-based column, counted in Unicode scalars (a tab counts as one).
    public var column: Int
    /// 0-based byte offset into the input.
    public var byteOffset: Int

    public init(line: Int, column: Int, byteOffset: Int) {
        self.line = line
        self.column = column
        self.byteOffset = byteOffset
    }

    /// Computes line and column of `byteOffset` in UTF-8 `bytes`.
    public init(byteOffset: Int, in bytes: UnsafeRawBufferPointer) {
        var line = 1
        var column = 1
        let end = min(byteOffset, bytes.count)
        var index = 0
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {  // count scalars, not continuation bytes
                column += 1
            }
            index += 1
        }
        self.init(line: line, column: column, byteOffset: byteOffset)
    }

    public var description: String { "\(line):\(column)" }
}
