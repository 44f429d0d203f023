#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import FHIRCore
import FHIRXML
import Foundation

/// Streams the entries of a FHIR XML Bundle through ``FHIRXMLBundleEntryReader`` (libxml2's
/// `xmlTextReader`), so memory holds one entry at a time. Entries are parsed here, on the reading
/// thread, and decoded later on the worker threads.
///
/// libxml2 reads from a pipe that a small pump thread fills from the ``InputReader``. That way
/// standard input streams too (its first bytes, read for format detection, are sent first), and
/// the bytes read are counted for the progress line like any other input.
final class XMLBundleSource: RecordSource {
    private let pump: BytePump
    private var reader: FHIRXMLBundleEntryReader?
    private let name: String
    private var finished = false

    init(reader input: InputReader) throws(InputFailure) {
        name = input.input.displayName
        do { pump = try BytePump(source: input) } catch { throw .io(error) }
        do {
            reader = try FHIRXMLBundleEntryReader(path: pump.readPath)
        } catch {
            pump.stop()
            throw .unusable(error, partial: [])
        }
        pump.closeReadEnd()  // libxml2 holds its own descriptor now
    }

    deinit {
        reader = nil
        pump.stop()
    }

    func next() throws(InputFailure) -> RawRecord? {
        guard !finished, let reader else { return nil }
        do {
            guard let parsed = try reader.next() else {
                finish()
                if let error = pump.failure { throw InputFailure.io(error) }
                return nil
            }
            let origin = RecordOrigin(input: name, position: .bundleEntry(index: parsed.index, line: parsed.line, column: parsed.column),
                                      byteOffset: 0)
            return RawRecord(origin: origin, payload: .xmlEntry(parsed))
        } catch let failure as InputFailure {
            throw failure
        } catch let error as FHIRDiagnostic {
            finish()
            if let ioError = pump.failure { throw .io(ioError) }
            throw .unusable(error, partial: [])
        } catch {
            finish()
            throw .unusable(FHIRDiagnostic(code: .syntax, message: "\(error)"), partial: [])
        }
    }

    private func finish() {
        finished = true
        reader = nil  // frees libxml2's reader and closes its end of the pipe
        pump.stop()
    }
}

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
