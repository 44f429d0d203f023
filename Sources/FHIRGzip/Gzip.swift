internal import CZlib

/// Why gzip data could not be read or written.
public struct GzipError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, for a person: "corrupt gzip data (invalid block type)".
    public var message: String
    /// Bytes of compressed input consumed before the error, when known.
    public var compressedOffset: Int?

    public init(_ message: String, compressedOffset: Int? = nil) {
        self.message = message
        self.compressedOffset = compressedOffset
    }

    public var description: String {
        if let compressedOffset { return "\(message) (at compressed byte \(compressedOffset))" }
        return message
    }
}

/// gzip as FHIR Bulk Data files use it (`.ndjson.gz`), and as FHIR packages ship (`.tgz`).
public enum Gzip {
    /// True when `bytes` start with gzip's magic number (1F 8B), whatever the file is named.
    public static func hasMagic(_ bytes: some Collection<UInt8>) -> Bool {
        var iterator = bytes.makeIterator()
        return iterator.next() == 0x1F && iterator.next() == 0x8B
    }

    /// Decompresses a whole gzip stream (several members, as `cat a.gz b.gz` makes, included).
    /// - Parameters:
    ///   - bytes: the gzip stream.
    ///   - maxOutputBytes: the most it will produce; a "zip bomb" stops here.
    /// - Throws: ``GzipError`` for corrupt or truncated data, or output past the limit.
    public static func decompress(_ bytes: [UInt8], maxOutputBytes: Int = Int.max) throws(GzipError) -> [UInt8] {
        let inflater = GzipInflater(maxOutputBytes: maxOutputBytes)
        var output: [UInt8] = []
        output.reserveCapacity(min(maxOutputBytes, bytes.count * 4))
        let failure: GzipError? = bytes.withUnsafeBytes { buffer in
            do throws(GzipError) {
                try inflater.write(buffer) { output.append(contentsOf: $0) }
                return nil
            } catch { return error }
        }
        if let failure { throw failure }
        try inflater.finish()
        return output
    }

    /// Compresses `bytes` as one gzip member.
    public static func compress(_ bytes: [UInt8], level: Int = 6) -> [UInt8] {
        let deflater = GzipDeflater(level: level)
        var output: [UInt8] = []
        bytes.withUnsafeBytes { buffer in deflater.write(buffer) { output.append(contentsOf: $0) } }
        deflater.finish { output.append(contentsOf: $0) }
        return output
    }
}

/// Streaming gzip decompression: feed compressed chunks as they are read, get plain bytes as
/// they come out, so memory is bounded by the chunk size and zlib's 32 KiB window.
///
/// Concatenated members are read one after another (`cat a.gz b.gz`, as `gzip` itself reads
/// them). Not thread-safe: one inflater per stream.
public final class GzipInflater {
    private var stream = z_stream()
    private var isOpen = false
    private var sawInput = false
    private let maxOutputBytes: Int
    /// Plain bytes produced so far.
    public private(set) var totalOut = 0
    /// Compressed bytes consumed so far.
    public private(set) var totalIn = 0
    private var window = [UInt8](repeating: 0, count: 64 * 1024)

    /// - Parameter maxOutputBytes: the most plain bytes it will produce before failing.
    public init(maxOutputBytes: Int = Int.max) {
        self.maxOutputBytes = maxOutputBytes
    }

    deinit {
        if isOpen { inflateEnd(&stream) }
    }

    /// Decompresses `chunk`, handing each piece of output to `sink` (the piece is valid only
    /// during the call).
    /// - Throws: ``GzipError`` for corrupt data, data after a member that is not another gzip
    ///   member, or output past the limit.
    public func write(_ chunk: UnsafeRawBufferPointer, _ sink: (UnsafeRawBufferPointer) -> Void) throws(GzipError) {
        guard let base = chunk.baseAddress, chunk.count > 0 else { return }
        var offset = 0
        while offset < chunk.count {
            if !isOpen {
                // A new member: after one ends, anything but more gzip data fails its header check.
                stream = z_stream()
                guard czlib_inflate_init_gzip(&stream) == Z_OK else {
                    throw GzipError("zlib could not start (out of memory)")
                }
                isOpen = true
            }
            sawInput = true
            let available = chunk.count - offset
            stream.next_in = UnsafeMutablePointer(
                mutating: base.advanced(by: offset).assumingMemoryBound(to: Bytef.self))
            stream.avail_in = uInt(min(available, Int(UInt32.max)))
            let before = Int(stream.avail_in)
            let status = try pump(sink)
            let consumed = before - Int(stream.avail_in)
            offset += consumed
            totalIn += consumed
            if status == Z_STREAM_END {
                inflateEnd(&stream)
                isOpen = false
            } else if consumed == 0 {
                break
            }
        }
    }

    /// Says the compressed input has ended.
    /// - Throws: ``GzipError`` when the data stopped inside a member (a truncated file).
    public func finish() throws(GzipError) {
        if isOpen {
            throw GzipError(
                "truncated gzip data: the input ended inside a compressed member", compressedOffset: totalIn)
        }
        if !sawInput { throw GzipError("empty gzip data", compressedOffset: 0) }
    }

    private func pump(_ sink: (UnsafeRawBufferPointer) -> Void) throws(GzipError) -> Int32 {
        var status: Int32 = Z_OK
        var failure: GzipError?
        window.withUnsafeMutableBytes { out in
            let outBase = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
            repeat {
                stream.next_out = outBase
                stream.avail_out = uInt(out.count)
                status = inflate(&stream, Z_NO_FLUSH)
                let produced = out.count - Int(stream.avail_out)
                switch status {
                case Z_OK, Z_STREAM_END, Z_BUF_ERROR:
                    break
                case Z_NEED_DICT:
                    failure = GzipError(
                        "corrupt gzip data (a preset dictionary is asked for)", compressedOffset: totalIn)
                    return
                case Z_MEM_ERROR:
                    failure = GzipError("zlib ran out of memory", compressedOffset: totalIn)
                    return
                default:
                    let reason = stream.msg.map { String(cString: $0) } ?? "corrupt data"
                    failure = GzipError("corrupt gzip data (\(reason))", compressedOffset: totalIn)
                    return
                }
                if produced > 0 {
                    totalOut += produced
                    if totalOut > maxOutputBytes {
                        failure = GzipError("gzip data expands past \(maxOutputBytes) bytes", compressedOffset: totalIn)
                        return
                    }
                    sink(UnsafeRawBufferPointer(rebasing: out[0..<produced]))
                }
            } while status == Z_OK && (stream.avail_out == 0 || stream.avail_in > 0)
        }
        if let failure { throw failure }
        return status == Z_BUF_ERROR ? Z_OK : status
    }
}

/// Streaming gzip compression: feed plain chunks, get compressed bytes as they come out.
public final class GzipDeflater {
    private var stream = z_stream()
    private var window = [UInt8](repeating: 0, count: 64 * 1024)
    private var finished = false

    /// - Parameter level: 1 (fastest) to 9 (smallest); 6 is gzip's default.
    public init(level: Int = 6) {
        let status = czlib_deflate_init_gzip(&stream, Int32(max(1, min(9, level))))
        precondition(status == Z_OK, "zlib deflateInit2 failed (\(status)): out of memory")
    }

    deinit { deflateEnd(&stream) }

    /// Compresses `chunk`, handing compressed output to `sink` as it is produced.
    public func write(_ chunk: UnsafeRawBufferPointer, _ sink: (UnsafeRawBufferPointer) -> Void) {
        precondition(!finished, "GzipDeflater.write after finish")
        guard let base = chunk.baseAddress, chunk.count > 0 else { return }
        var offset = 0
        while offset < chunk.count {
            let piece = min(chunk.count - offset, Int(UInt32.max))
            stream.next_in = UnsafeMutablePointer(
                mutating: base.advanced(by: offset).assumingMemoryBound(to: Bytef.self))
            stream.avail_in = uInt(piece)
            drain(flush: Z_NO_FLUSH, sink)
            offset += piece
        }
    }

    /// Ends the gzip member (its trailer holds the CRC and size), handing the last bytes to `sink`.
    public func finish(_ sink: (UnsafeRawBufferPointer) -> Void) {
        guard !finished else { return }
        finished = true
        stream.next_in = nil
        stream.avail_in = 0
        drain(flush: Z_FINISH, sink)
    }

    private func drain(flush: Int32, _ sink: (UnsafeRawBufferPointer) -> Void) {
        window.withUnsafeMutableBytes { out in
            let outBase = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
            var status: Int32
            repeat {
                stream.next_out = outBase
                stream.avail_out = uInt(out.count)
                status = deflate(&stream, flush)
                let produced = out.count - Int(stream.avail_out)
                if produced > 0 { sink(UnsafeRawBufferPointer(rebasing: out[0..<produced])) }
            } while stream.avail_out == 0 || (flush == Z_FINISH && status != Z_STREAM_END)
        }
    }
}
