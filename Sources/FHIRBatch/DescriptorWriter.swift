#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import FHIRGzip

/// Buffered writing to a file descriptor, with failures (disk full, a closed pipe) as
/// ``BatchError`` naming the output. With `gzip`, the bytes are compressed on their way out
/// (`convert --gzip`); ``finish()`` then ends the gzip member.
final class DescriptorWriter {
    let name: String
    private let deflater: GzipDeflater?
    private(set) var descriptor: Int32
    private var buffer: [UInt8] = []
    private let capacity = 1 << 20
    /// Bytes handed to ``write(_:)`` so far.
    private(set) var bytesWritten = 0

    init(descriptor: Int32, name: String, gzip: Bool = false) {
        self.descriptor = descriptor
        self.name = name
        deflater = gzip ? GzipDeflater() : nil
        buffer.reserveCapacity(capacity)
    }

    func write(_ bytes: [UInt8]) throws(BatchError) {
        bytesWritten += bytes.count
        if buffer.count + bytes.count > capacity { try flush() }
        if bytes.count >= capacity {
            try writeThrough(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    func write(_ text: String) throws(BatchError) { try write(Array(text.utf8)) }

    func flush() throws(BatchError) {
        guard !buffer.isEmpty else { return }
        defer { buffer.removeAll(keepingCapacity: true) }
        try writeThrough(buffer)
    }

    /// Writes what is buffered and, for gzip output, the end of the gzip member. Nothing can be
    /// written after it.
    func finish() throws(BatchError) {
        try flush()
        guard let deflater else { return }
        var tail: [UInt8] = []
        deflater.finish { piece in tail.append(contentsOf: piece) }
        try writeToDescriptor(tail)
    }

    private func writeThrough(_ bytes: [UInt8]) throws(BatchError) {
        guard let deflater else { return try writeToDescriptor(bytes) }
        var compressed: [UInt8] = []
        bytes.withUnsafeBytes { raw in deflater.write(raw) { piece in compressed.append(contentsOf: piece) } }
        try writeToDescriptor(compressed)
    }

    private func writeToDescriptor(_ bytes: [UInt8]) throws(BatchError) {
        var failure: Int32 = 0
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = SystemCall.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += written
            }
        }
        if failure == EPIPE { throw .io(name, "the output was closed before everything was written (broken pipe)") }
        if failure != 0 { throw .io(name, "cannot write", errno: failure) }
    }
}
