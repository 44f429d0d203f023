#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The few file-system calls package loading needs, over the C library (no Foundation, so
/// loading the definitions adds nothing to the tool's start-up).
enum FileSystem {
    static func exists(_ path: String) -> Bool {
        var isDirectory = false
        return exists(path, isDirectory: &isDirectory)
    }

    static func exists(_ path: String, isDirectory: inout Bool) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
        return true
    }

    /// The whole file.
    /// - Throws: ``FHIRPackageError`` naming the path and the system's reason.
    static func read(_ path: String) throws(FHIRPackageError) -> [UInt8] {
        guard let file = fopen(path, "rb") else { throw FHIRPackageError("\(path): \(reason())") }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if count > 0 { bytes.append(contentsOf: buffer[0..<count]) }
            if count < buffer.count {
                if ferror(file) != 0 { throw FHIRPackageError("\(path): \(reason())") }
                return bytes
            }
        }
    }

    /// The names in a folder (no `.` or `..`), unsorted.
    static func list(_ path: String) throws(FHIRPackageError) -> [String] {
        guard let folder = opendir(path) else { throw FHIRPackageError("\(path): \(reason())") }
        defer { closedir(folder) }
        var names: [String] = []
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// An environment variable, when set and not empty.
    static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        let text = String(cString: value)
        return text.isEmpty ? nil : text
    }

    private static func reason() -> String { String(cString: strerror(errno)) }
}
