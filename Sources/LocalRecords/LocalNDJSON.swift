/// One line of a local NDJSON input: its bytes and where it came from.
public struct LocalLine: Sendable {
    /// The line's bytes, without the line break.
    public var bytes: [UInt8]
    /// The input's name and the 1-based line number.
    public var origin: LocalRecordOrigin

    /// Creates a line.
    public init(bytes: [UInt8], origin: LocalRecordOrigin) {
        self.bytes = bytes
        self.origin = origin
    }
}

/// Splits NDJSON into lines.
public enum LocalNDJSON {
    /// The non-blank lines of `bytes` (LF or CRLF line ends), each with its 1-based line number.
    /// - Parameter file: the input's name, for error messages.
    public static func lines(_ bytes: [UInt8], file: String? = nil) -> [LocalLine] {
        var lines: [LocalLine] = []
        var start = 0
        var number = 1
        func add(_ end: Int) {
            var slice = bytes[start..<end]
            if slice.last == UInt8(ascii: "\r") { slice = slice.dropLast() }
            if slice.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }) {
                lines.append(LocalLine(bytes: Array(slice), origin: LocalRecordOrigin(file: file, line: number)))
            }
        }
        for index in bytes.indices where bytes[index] == UInt8(ascii: "\n") {
            add(index)
            start = index + 1
            number += 1
        }
        if start < bytes.count { add(bytes.count) }
        return lines
    }
}
