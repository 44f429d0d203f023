import FHIRGzip
import Foundation

/// One input to validate: a file or standard input, with its bytes and format.
public struct ValidationSource: Sendable {
    /// How the bytes are laid out.
    public enum Format: String, Sendable {
        /// One FHIR JSON resource (a Bundle counts as one).
        case json
        /// One FHIR JSON resource per line.
        case ndjson
        /// One FHIR XML resource.
        case xml
        /// Neither JSON nor XML: reported as a fatal finding.
        case unknown
    }

    /// The name findings carry: the path as given, or `-` for standard input.
    public var name: String
    /// The input's content.
    public var bytes: [UInt8]
    /// How the content is laid out.
    public var format: Format

    /// A source from bytes; the format is the one given, else judged from the name's extension
    /// (`.ndjson`, `.jsonl`, `.json`, `.xml`) and then from the content: `<` is XML; `{` is JSON,
    /// or NDJSON when every non-empty line is one object (`{` … `}`) and there are several.
    public init(name: String, bytes: [UInt8], format: Format? = nil) {
        self.name = name
        self.bytes = bytes
        self.format = format ?? Self.detect(name: name, bytes: bytes)
    }

    /// Reads a file, or standard input for `-`; gzip'd content (by its magic bytes, whatever
    /// the name) is inflated.
    ///
    /// - Throws: ``ValidationInputError`` when it cannot be read or inflated.
    public init(path: String) throws(ValidationInputError) {
        var bytes: [UInt8]
        if path == "-" {
            bytes = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
        } else {
            guard let data = FileManager.default.contents(atPath: path) else {
                let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist"
                throw ValidationInputError(description: "\(path): error: the input \(reason)")
            }
            bytes = [UInt8](data)
        }
        if Gzip.hasMagic(bytes) {
            do {
                bytes = try Gzip.decompress(bytes)
            } catch {
                throw ValidationInputError(description: "\(path): error: the input is gzip'd but cannot be inflated: \(error)")
            }
        }
        self.init(name: path, bytes: bytes)
    }

    /// `a.ndjson.gz` → `a.ndjson`: the name's format is the one before `.gz`.
    private static func droppingGzipSuffix(_ name: String) -> String {
        name.lowercased().hasSuffix(".gz") ? String(name.dropLast(3)) : name
    }

    /// The sources named by paths: files as they are, directories expanded recursively (only
    /// `.json`, `.ndjson`, `.jsonl` and `.xml` files, gzip'd or not, hidden ones skipped) in sorted order, `-`
    /// for standard input.
    ///
    /// - Throws: ``ValidationInputError`` for a path that cannot be read.
    public static func sources(for paths: [String]) throws(ValidationInputError) -> [ValidationSource] {
        var sources: [ValidationSource] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            if path != "-", FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                for file in try files(in: path) { sources.append(try ValidationSource(path: file)) }
            } else {
                sources.append(try ValidationSource(path: path))
            }
        }
        return sources
    }

    private static let extensions: Set<String> = ["json", "ndjson", "jsonl", "xml"]

    private static func files(in directory: String) throws(ValidationInputError) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else {
            throw ValidationInputError(description: "\(directory): error: the directory cannot be read")
        }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix(".") {
                enumerator.skipDescendants()
                continue
            }
            let path = (directory as NSString).appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                  extensions.contains((droppingGzipSuffix(name) as NSString).pathExtension.lowercased())
            else { continue }
            files.append(path)
        }
        return files.sorted()
    }

    static func detect(name: String, bytes: [UInt8]) -> Format {
        switch (droppingGzipSuffix(name) as NSString).pathExtension.lowercased() {
        case "ndjson", "jsonl": return .ndjson
        case "xml": return .xml
        default: break
        }
        let significant = bytes.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF }
        switch significant.first {
        case UInt8(ascii: "<"): return secondLineIsRecord(significant) ? .ndjson : .xml
        case UInt8(ascii: "{"): return looksLikeNDJSON(bytes) ? .ndjson : .json
        // A first line that is not a resource (an XML fragment, an array, garbage) in NDJSON: the
        // records after it are still read, as `convert` does.
        default: return secondLineIsRecord(significant) ? .ndjson : .unknown
        }
    }

    /// NDJSON when one of the first two non-empty lines is a whole JSON object on its own: the
    /// first (a record, with more lines after it), or the second (after a broken first record).
    /// A JSON document laid out over lines (pretty-printed, or an entry per line) has no such
    /// line; a broken record further down is a finding on its line, not a reason to read the
    /// whole file as one document.
    private static func looksLikeNDJSON(_ bytes: [UInt8]) -> Bool {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        var lines: [ArraySlice<UInt8>] = []
        var start = body.startIndex
        while lines.count < 2, start < body.endIndex {
            let end = body[start...].firstIndex(of: 0x0A) ?? body.endIndex
            if body[start..<end].contains(where: { !isSpace($0) }) { lines.append(body[start..<end]) }
            start = end < body.endIndex ? end + 1 : end
        }
        return lines.count == 2 && (isWholeObject(lines[0]) || isWholeObject(lines[1]))
    }

    /// Whether `line` (spaces aside) is `{` … `}` with its brackets balanced and closed only at
    /// its end, strings and their escapes skipped: one JSON object, as far as framing goes.
    private static func isWholeObject(_ line: ArraySlice<UInt8>) -> Bool {
        guard let first = line.firstIndex(where: { !isSpace($0) }), let last = line.lastIndex(where: { !isSpace($0) }),
              line[first] == UInt8(ascii: "{") else { return false }
        var depth = 0
        var inString = false
        var escaped = false
        for index in first...last {
            let byte = line[index]
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return index == last }
            default: break
            }
        }
        return false
    }

    /// Whether the next non-empty line after the first is one JSON object (`{` … `}`), as a
    /// record of NDJSON is; no line of an XML document is.
    private static func secondLineIsRecord(_ bytes: ArraySlice<UInt8>) -> Bool {
        var lineBreak = bytes.firstIndex(of: 0x0A)
        while let previous = lineBreak {
            let start = bytes.index(after: previous)
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.endIndex
            let line = bytes[start..<end]
            if let first = line.firstIndex(where: { !isSpace($0) }), let last = line.lastIndex(where: { !isSpace($0) }) {
                return line[first] == UInt8(ascii: "{") && line[last] == UInt8(ascii: "}")
            }
            lineBreak = end < bytes.endIndex ? end : nil
        }
        return false
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D }
}

/// An input that cannot be read (I/O, not content).
public struct ValidationInputError: Error, Sendable, CustomStringConvertible {
    /// `path: error: the input does not exist`.
    public let description: String
}
