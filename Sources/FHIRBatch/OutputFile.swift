#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file written atomically: the bytes go to a temporary file in the same directory, which is
/// renamed over the final name only when the run commits. A run that fails, is stopped or is
/// killed by SIGINT/SIGTERM/SIGHUP leaves no file under the final name (and no temporary file:
/// it is removed). Even after SIGKILL, only a temporary file can remain, named
/// `.NAME.ivig-fhir-tmp-PID-N` (hidden, and not ending in the output's extension).
///
/// A path that exists and is not a regular file (`/dev/null`, `/dev/stdout`, a named pipe) is
/// written directly, since it cannot be replaced by a rename.
final class OutputFile {
    /// The final path.
    let path: String
    private let temporaryPath: String?
    private var writer: DescriptorWriter?
    private var closed = false

    /// Creates the temporary file (or opens a special file).
    /// - Throws: ``BatchError`` `.io` when it cannot be created.
    init(path: String, gzip: Bool = false) throws(BatchError) {
        self.path = path
        var status = stat()
        if stat(path, &status) == 0 && (status.st_mode & S_IFMT) != S_IFREG {
            let fd = open(path, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else { throw .io(path, "cannot open the output", errno: errno) }
            temporaryPath = nil
            writer = DescriptorWriter(descriptor: fd, name: path, gzip: gzip)
            return
        }
        let temporary = TemporaryFiles.shared.name(for: path)
        TemporaryFiles.shared.register(temporary)  // before it exists, so a signal never misses it
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0 else {
            let failure = errno
            TemporaryFiles.shared.unregister(temporary)
            throw .io(path, "cannot create the output", errno: failure)
        }
        temporaryPath = temporary
        writer = DescriptorWriter(descriptor: fd, name: path, gzip: gzip)
    }

    deinit { discard() }

    func write(_ bytes: [UInt8]) throws(BatchError) {
        try writer?.write(bytes)
    }

    /// Bytes written so far.
    var bytesWritten: Int { writer?.bytesWritten ?? 0 }

    /// Flushes, syncs to disk and closes the file; it is renamed into place by ``commit()``.
    func finishWriting() throws(BatchError) {
        guard let writer, !closed else { return }
        closed = true
        defer { self.writer = nil }
        try writer.finish()
        if temporaryPath != nil && fsync(writer.descriptor) != 0 && errno != EINVAL {
            let failure = errno
            _ = SystemCall.close(writer.descriptor)
            throw .io(path, "cannot write", errno: failure)
        }
        if SystemCall.close(writer.descriptor) != 0 { throw .io(path, "cannot write", errno: errno) }
    }

    /// Renames the finished file over the final name.
    func commit() throws(BatchError) {
        try finishWriting()
        guard let temporaryPath else { return }
        guard rename(temporaryPath, path) == 0 else {
            let failure = errno
            discard()
            throw .io(path, "cannot rename the finished output into place", errno: failure)
        }
        TemporaryFiles.shared.unregister(temporaryPath)
    }

    /// Abandons the file: closes and removes the temporary file. Safe to call more than once.
    func discard() {
        if let writer, !closed {
            closed = true
            _ = SystemCall.close(writer.descriptor)
            self.writer = nil
        }
        if let temporaryPath, TemporaryFiles.shared.unregister(temporaryPath) {
            unlink(temporaryPath)
        }
    }
}
