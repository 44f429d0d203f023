import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The temporary files of this process, removed when the process is stopped by a signal.
final class TemporaryFiles: @unchecked Sendable {
    static let shared = TemporaryFiles()

    private let lock = NSLock()
    private var paths: Set<String> = []
    private var counter = 0

    /// `dir/.NAME.ivig-fhir-tmp-PID-N` beside `path`.
    func name(for path: String) -> String {
        lock.lock()
        counter += 1
        let number = counter
        lock.unlock()
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        return "\(folder).\(name).ivig-fhir-tmp-\(getpid())-\(number)"
    }

    func register(_ path: String) {
        lock.lock()
        paths.insert(path)
        lock.unlock()
    }

    /// Forgets a path; true when it was registered.
    @discardableResult
    func unregister(_ path: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return paths.remove(path) != nil
    }

    /// Removes every registered file (on a signal).
    func removeAll() {
        lock.lock()
        let all = paths
        paths.removeAll()
        lock.unlock()
        for path in all { unlink(path) }
    }
}
