import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Copies an ``InputReader`` into a pipe on its own thread, for a reader that wants a path.
final class BytePump: @unchecked Sendable {
    private let readEnd: Int32
    private let writeEnd: Int32
    private let lock = NSLock()
    private var readEndOpen = true
    private var stopped = false
    private var error: BatchError?
    private let done = DispatchSemaphore(value: 0)

    /// The path that opens the pipe's read end (`/dev/fd/N`).
    var readPath: String { "/dev/fd/\(readEnd)" }

    /// A failure reading the input, once the pump has stopped.
    var failure: BatchError? {
        lock.lock()
        defer { lock.unlock() }
        return error
    }

    init(source: InputReader) throws(BatchError) {
        var descriptors: [Int32] = [0, 0]
        guard pipe(&descriptors) == 0 else { throw .io(source.input.displayName, "cannot create a pipe", errno: errno) }
        readEnd = descriptors[0]
        writeEnd = descriptors[1]
        // The reader is handed to the pump thread and used only there from now on.
        nonisolated(unsafe) let input = source
        Thread { [self] in
            pump(input)
            done.signal()
        }.start()
    }

    private func pump(_ input: InputReader) {
        // A reader that stops early closes the pipe; the write then fails with EPIPE on this
        // thread instead of a SIGPIPE killing the process.
        var blocked = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &blocked, nil)
        var chunk: [UInt8] = []
        defer {
            _ = SystemCall.close(writeEnd)
            input.close()
        }
        while !isStopped {
            chunk.removeAll(keepingCapacity: true)
            do {
                guard try input.read(into: &chunk, limit: 256 << 10) > 0 else { return }
            } catch {
                lock.lock()
                self.error = error
                lock.unlock()
                return
            }
            guard writeAll(chunk) else { return }
        }
    }

    private var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    private func writeAll(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = SystemCall.write(writeEnd, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
    }

    /// Closes this process's copy of the read end once the consumer has opened its own.
    func closeReadEnd() {
        lock.lock()
        defer { lock.unlock() }
        if readEndOpen {
            _ = SystemCall.close(readEnd)
            readEndOpen = false
        }
    }

    /// Stops the pump and waits for its thread (the consumer must have closed its read end, so a
    /// blocked write fails). Safe to call more than once.
    func stop() {
        closeReadEnd()
        lock.lock()
        let first = !stopped
        stopped = true
        lock.unlock()
        if first { done.wait() }
    }
}
