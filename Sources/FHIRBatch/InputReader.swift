#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import FHIRGzip

/// Reads one input through a file descriptor in chunks, never the whole input at once, and
/// counts the bytes for progress. Bytes looked at ahead (to detect the format) are pushed back
/// with ``unread(_:)`` and read again first, so standard input works without seeking.
///
/// gzip'd input (Bulk Data's `.ndjson.gz`, on standard input too) is recognised by its magic
/// bytes, whatever its name, and inflated here as it is read: everything above this layer
/// (detection, framing, decoding) sees the plain bytes. Progress counts the compressed bytes.
final class InputReader {
    /// The usual read size: large enough for few system calls, small enough to bound memory.
    static let chunkSize = 1 << 20

    let input: BatchInput
    private var descriptor: Int32
    private var pushedBack: [UInt8] = []
    /// Whether the descriptor has reached its end.
    private var rawAtEnd = false
    /// Whether everything has been read (nothing left in the input nor held back).
    var atEnd: Bool { rawAtEnd && pushedBack.isEmpty }
    /// Bytes taken from the descriptor so far (pushed-back bytes count once).
    private(set) var bytesRead = 0
    /// Shared with the progress line; updated as chunks arrive.
    var counter: ByteCounter?
    /// Whether the first bytes have been looked at for gzip's magic.
    private var sniffed = false
    /// Inflates the input when it is gzip'd.
    private var inflater: GzipInflater?
    /// Whether the bytes held back are the plain input's first two, looked at for gzip.
    private var sniffedBytesPending = false
    /// Compressed bytes read at a time: a chunk of highly compressible text inflates to a few MB,
    /// not to the hundreds a 1 MiB chunk could.
    private static let compressedChunkSize = 16 << 10

    /// Opens the input.
    /// - Throws: ``BatchError`` `.io` when the file cannot be opened.
    init(_ input: BatchInput, counter: ByteCounter? = nil) throws(BatchError) {
        self.input = input
        self.counter = counter
        switch input.location {
        case .standardInput:
            descriptor = STDIN_FILENO
        case .file(let path):
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw .io(input.displayName, "the input cannot be opened", errno: errno) }
            descriptor = fd
        }
    }

    deinit { close() }

    /// Whether the input is a regular file, which can be opened again from its start (a pipe,
    /// `/dev/stdin` or a terminal cannot).
    var isRegularFile: Bool {
        // Standard input redirected from a file is a regular file too, but opening it "again"
        // reads on from where the format detection stopped.
        guard case .file = input.location else { return false }
        var status = stat()
        return descriptor >= 0 && fstat(descriptor, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
    }

    /// The size of a regular file, or nil for a pipe, a terminal or a device.
    var regularFileSize: Int? {
        var status = stat()
        guard descriptor >= 0, fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(status.st_size)
    }

    /// Closes the descriptor (standard input stays open for the process).
    func close() {
        if descriptor > STDIN_FILENO { _ = SystemCall.close(descriptor) }
        descriptor = -1
    }

    /// Appends up to `limit` bytes to `buffer`; returns how many (0 only at the end).
    /// - Throws: ``BatchError`` `.io` when reading fails.
    @discardableResult
    func read(into buffer: inout [UInt8], limit: Int = InputReader.chunkSize) throws(BatchError) -> Int {
        // First of all, so the bytes looked at are read first.
        if !sniffed { try sniffGzip() }
        if !pushedBack.isEmpty {
            let count = min(limit, pushedBack.count)
            buffer.append(contentsOf: pushedBack[..<count])
            pushedBack.removeFirst(count)
            // The two bytes looked at for gzip come with what follows them, as a first read
            // would have returned: detection on a pipe decides on what has arrived.
            guard sniffedBytesPending, count < limit else { return count }
            sniffedBytesPending = false
            return count + (try readRaw(into: &buffer, limit: limit - count))
        }
        guard let inflater else { return try readRaw(into: &buffer, limit: limit) }
        // Inflate compressed chunks until some plain bytes come out (a chunk may hold only a header).
        var compressed: [UInt8] = []
        while pushedBack.isEmpty {
            compressed.removeAll(keepingCapacity: true)
            guard try readRaw(into: &compressed, limit: Self.compressedChunkSize) > 0 else {
                do { try inflater.finish() } catch { throw inflationFailure(error) }
                return 0
            }
            try inflate(compressed, with: inflater)
        }
        return try read(into: &buffer, limit: limit)
    }

    /// Inflates compressed bytes into the bytes still to be read.
    private func inflate(_ compressed: [UInt8], with inflater: GzipInflater) throws(BatchError) {
        var failure: GzipError?
        compressed.withUnsafeBytes { raw in
            do throws(GzipError) {
                try inflater.write(raw) { plain in pushedBack.append(contentsOf: plain) }
            } catch {
                failure = error
            }
        }
        if let failure { throw inflationFailure(failure) }
    }

    private func inflationFailure(_ error: GzipError) -> BatchError {
        BatchError(.io, "\(input.displayName): error: the input is gzip'd but cannot be inflated: \(error)")
    }

    /// Looks at the first two bytes: gzip's magic starts inflating; any other bytes are kept to
    /// be read first.
    private func sniffGzip() throws(BatchError) {
        sniffed = true
        var head: [UInt8] = []
        while head.count < 2, try readRaw(into: &head, limit: 2 - head.count) > 0 {}
        if Gzip.hasMagic(head) {
            // gzip only if it inflates: text that merely starts with the magic bytes (a damaged
            // first record) stays text, rejected on its own as before.
            _ = try readRaw(into: &head, limit: Self.compressedChunkSize)
            let inflater = GzipInflater()
            var failure: GzipError?
            head.withUnsafeBytes { raw in
                do throws(GzipError) {
                    try inflater.write(raw) { plain in pushedBack.append(contentsOf: plain) }
                } catch {
                    failure = error
                }
            }
            if failure == nil || inflater.totalOut > 0 {
                self.inflater = inflater
                if let failure { throw inflationFailure(failure) }
                return
            }
            pushedBack = head
            sniffedBytesPending = true
        } else {
            pushedBack = head + pushedBack
            sniffedBytesPending = true
        }
    }

    /// Reads bytes as they are in the input (compressed, for a gzip'd one).
    private func readRaw(into buffer: inout [UInt8], limit: Int) throws(BatchError) -> Int {
        guard !rawAtEnd, descriptor >= 0 else { return 0 }
        var count = 0
        var failure: Int32 = 0
        // Read into scratch space and keep what arrived (no zero-filling of the buffer first).
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: limit) { scratch in
            while true {
                let result = SystemCall.read(descriptor, scratch.baseAddress!, limit)
                if result < 0 && errno == EINTR { continue }
                if result < 0 { failure = errno } else { count = result }
                break
            }
            if count > 0 { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[..<count])) }
        }
        if failure != 0 { throw .io(input.displayName, "the input cannot be read", errno: failure) }
        if count == 0 { rawAtEnd = true }
        bytesRead += count
        counter?.add(count)
        return count
    }

    /// Reads up to `limit` bytes (fewer only at the end of the input).
    func readHead(limit: Int) throws(BatchError) -> [UInt8] {
        var head: [UInt8] = []
        while head.count < limit, try read(into: &head, limit: limit - head.count) > 0 {}
        return head
    }

    /// Puts bytes back in front of what is still to be read.
    func unread(_ bytes: [UInt8]) {
        pushedBack = bytes + pushedBack
    }
}
