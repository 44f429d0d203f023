/// The regular files of a tar archive, read strictly: ustar headers (POSIX and GNU magic),
/// pax extended headers (`path`, `size`) and GNU long names; directories are skipped; links,
/// devices and FIFOs are refused; every path is checked (no absolute path, no `..`), every
/// header's checksum verified, and sizes bounded.
///
/// FHIR packages are small tarballs made by npm-like tools; a package is untrusted input, so
/// this reader accepts what those tools write and refuses the rest with a reason rather than
/// guessing.
struct TarArchive {
    /// One regular file: its path inside the archive (no leading `./`) and its bytes.
    struct Entry {
        var path: String
        var bytes: [UInt8]
    }

    /// Bounds on what an archive may hold.
    struct Limits {
        /// The most bytes one file may have.
        var maxFileBytes = 64 << 20
        /// The most bytes all files together may have.
        var maxTotalBytes = 512 << 20
        /// The most entries (of any kind) the archive may have.
        var maxEntries = 100_000
    }

    private(set) var entries: [Entry] = []

    private static let blockSize = 512

    /// Reads every entry of an uncompressed tar archive.
    /// - Throws: ``FHIRPackageError`` naming the entry (by index and path) and what is wrong.
    init(_ bytes: [UInt8], limits: Limits = Limits()) throws(FHIRPackageError) {
        var offset = 0
        var totalBytes = 0
        var pendingPath: String?
        var pendingSize: Int?
        var entryIndex = 0
        while true {
            guard offset + Self.blockSize <= bytes.count else {
                throw .archive("the tar archive ends inside a header at byte \(offset) (truncated)")
            }
            let header = bytes[offset..<(offset + Self.blockSize)]
            if header.allSatisfy({ $0 == 0 }) { break }  // end-of-archive marker
            entryIndex += 1
            guard entryIndex <= limits.maxEntries else {
                throw .archive("the tar archive has more than \(limits.maxEntries) entries")
            }
            try Self.verifyChecksum(header, at: offset)
            let type = header[header.startIndex + 156]
            let headerPath = Self.headerPath(header)
            let recordedSize = try Self.octal(header, field: 124, length: 12, name: "size", entry: headerPath)
            let size = pendingSize ?? recordedSize
            let path = pendingPath ?? headerPath
            let dataStart = offset + Self.blockSize
            guard size >= 0, dataStart + size <= bytes.count else {
                throw .archive("tar entry '\(path)' says it has \(size) bytes but the archive ends first (truncated)")
            }
            let data = bytes[dataStart..<(dataStart + size)]
            offset = dataStart + (size + Self.blockSize - 1) / Self.blockSize * Self.blockSize
            switch type {
            case UInt8(ascii: "x"):  // pax header for the next entry
                let records = try Self.paxRecords(Array(data), entry: headerPath)
                pendingPath = records["path"]
                pendingSize = try records["size"].map { text throws(FHIRPackageError) in
                    guard let value = Int(text), value >= 0 else {
                        throw .archive("tar pax header for '\(headerPath)' has a bad size '\(text)'")
                    }
                    return value
                }
                continue
            case UInt8(ascii: "g"):  // pax global header: nothing in it matters for files
                continue
            case UInt8(ascii: "L"):  // GNU long name for the next entry
                pendingPath = String(decoding: data.prefix { $0 != 0 }, as: UTF8.self)
                continue
            case UInt8(ascii: "0"), 0, UInt8(ascii: "7"):
                let checked = try Self.checkedPath(path)
                guard size <= limits.maxFileBytes else {
                    throw .archive(
                        "tar entry '\(checked)' has \(size) bytes, more than the \(limits.maxFileBytes) allowed")
                }
                totalBytes += size
                guard totalBytes <= limits.maxTotalBytes else {
                    throw .archive("the tar archive holds more than the \(limits.maxTotalBytes) bytes allowed")
                }
                entries.append(Entry(path: checked, bytes: Array(data)))
            case UInt8(ascii: "5"):
                _ = try Self.checkedPath(path)
            default:
                let kind: String
                switch type {
                case UInt8(ascii: "1"): kind = "a hard link"
                case UInt8(ascii: "2"): kind = "a symbolic link"
                case UInt8(ascii: "3"), UInt8(ascii: "4"): kind = "a device"
                case UInt8(ascii: "6"): kind = "a FIFO"
                default: kind = "of unknown type '\(Character(Unicode.Scalar(type)))'"
                }
                throw .archive("tar entry '\(path)' is \(kind); a FHIR package holds only regular files")
            }
            pendingPath = nil
            pendingSize = nil
        }
        if pendingPath != nil || pendingSize != nil {
            throw .archive("the tar archive ends after an extended header with no entry for it")
        }
    }

    /// The path as the header gives it: `prefix/name` for ustar, `name` otherwise.
    private static func headerPath(_ header: ArraySlice<UInt8>) -> String {
        let name = field(header, 0, 100)
        let isUstar = header[(header.startIndex + 257)..<(header.startIndex + 262)].elementsEqual("ustar".utf8)
        let prefix = isUstar ? field(header, 345, 155) : ""
        return prefix.isEmpty ? name : prefix + "/" + name
    }

    private static func field(_ header: ArraySlice<UInt8>, _ start: Int, _ length: Int) -> String {
        let bytes = header[(header.startIndex + start)..<(header.startIndex + start + length)]
        return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// An octal number field (NUL- or space-terminated, possibly space-padded).
    private static func octal(
        _ header: ArraySlice<UInt8>, field start: Int, length: Int, name: String, entry: String
    ) throws(FHIRPackageError) -> Int {
        let bytes = header[(header.startIndex + start)..<(header.startIndex + start + length)]
        if let first = bytes.first, first & 0x80 != 0 {
            throw .archive("tar entry '\(entry)' uses a binary \(name) field (files this large are not FHIR packages)")
        }
        var value = 0
        var seenDigit = false
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                value = value * 8 + Int(byte - UInt8(ascii: "0"))
                seenDigit = true
                guard value < 1 << 40 else { throw .archive("tar entry '\(entry)' has a \(name) out of range") }
            case UInt8(ascii: " ") where !seenDigit: continue
            case 0, UInt8(ascii: " "): return value
            default: throw .archive("tar entry '\(entry)' has a \(name) field that is not octal")
            }
        }
        return value
    }

    private static func verifyChecksum(_ header: ArraySlice<UInt8>, at offset: Int) throws(FHIRPackageError) {
        let recorded = try octal(header, field: 148, length: 8, name: "checksum", entry: headerPath(header))
        var sum = 0
        for (index, byte) in header.enumerated() {
            sum += (148..<156).contains(index) ? 32 : Int(byte)
        }
        guard sum == recorded else {
            throw .archive("the tar header at byte \(offset) has a bad checksum (corrupt or not a tar archive)")
        }
    }

    /// pax records: `LENGTH key=value\n`, LENGTH counting the whole record.
    private static func paxRecords(_ data: [UInt8], entry: String) throws(FHIRPackageError) -> [String: String] {
        var records: [String: String] = [:]
        var cursor = 0
        while cursor < data.count {
            guard let space = data[cursor...].firstIndex(of: UInt8(ascii: " ")),
                let length = Int(String(decoding: data[cursor..<space], as: UTF8.self)),
                length > space - cursor, cursor + length <= data.count, data[cursor + length - 1] == UInt8(ascii: "\n"),
                let equals = data[(space + 1)..<(cursor + length)].firstIndex(of: UInt8(ascii: "="))
            else {
                throw .archive("tar pax header for '\(entry)' is malformed at byte \(cursor) of its records")
            }
            let key = String(decoding: data[(space + 1)..<equals], as: UTF8.self)
            records[key] = String(decoding: data[(equals + 1)..<(cursor + length - 1)], as: UTF8.self)
            cursor += length
        }
        return records
    }

    /// The path without `./` or a trailing `/`, refused when absolute, empty or with `..`.
    private static func checkedPath(_ path: String) throws(FHIRPackageError) -> String {
        let components = path.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        guard !path.hasPrefix("/"), !components.isEmpty else {
            throw .archive("tar entry path '\(path)' is absolute or empty")
        }
        guard !path.contains("\\") else {
            throw .archive("tar entry path '\(path)' has a backslash (ambiguous as a folder separator)")
        }
        guard !components.contains("..") else {
            throw .archive("tar entry path '\(path)' escapes the archive with '..'")
        }
        return components.joined(separator: "/")
    }
}
