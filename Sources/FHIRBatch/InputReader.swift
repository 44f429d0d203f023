#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads one input through a file descriptor in chunks, never the whole input at once, and
/// counts the bytes for progress. Bytes looked at ahead (to detect the format) are pushed back
/// with ``unread(_:)`` and read again first, so standard input works without seeking.
final class InputReader {
    /// The usual read size: large enough for few system calls, small enough to bound memory.
    static let chunkSize = 1 << 20

    let input: BatchInput
    private var descriptor: Int32
    private var pushedBack: [UInt8] = []
    private(set) var atEnd = false
    /// Bytes taken from the descriptor so far (pushed-back bytes count once).
    private(set) var bytesRead = 0
    /// Shared with the progress line; updated as chunks arrive.
    var counter: ByteCounter?

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
        if !pushedBack.isEmpty {
            let count = min(limit, pushedBack.count)
            buffer.append(contentsOf: pushedBack[..<count])
            pushedBack.removeFirst(count)
            return count
        }
        guard !atEnd, descriptor >= 0 else { return 0 }
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
        if count == 0 { atEnd = true }
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
