/// Where a document stream's bytes go: standard output or an ``OutputFile``.
protocol ByteOutput: AnyObject {
    func write(_ bytes: [UInt8]) throws(BatchError)
}

extension DescriptorWriter: ByteOutput {}
extension OutputFile: ByteOutput {}

/// Lays the encoded pieces of one output out: one per line, a single document, or the entries
/// of a collection Bundle between its header and footer.
final class DocumentStream {
    enum Layout {
        /// One piece per line (NDJSON and other line formats).
        case lines
        /// Exactly one document.
        case single
        /// Pieces are entries of a collection Bundle.
        case bundle(BundleFraming)
    }

    private let output: any ByteOutput
    private let layout: Layout
    /// Pieces written so far.
    private(set) var count = 0

    init(output: any ByteOutput, layout: Layout) {
        self.output = output
        self.layout = layout
    }

    /// Whether the pieces of one record fit: a single document takes one piece, once.
    func accepts(pieces: Int) -> Bool {
        if case .single = layout { return count + pieces <= 1 }
        return true
    }

    func append(_ piece: [UInt8]) throws(BatchError) {
        switch layout {
        case .lines:
            try output.write(piece)
            try output.write([UInt8(ascii: "\n")])
        case .single:
            try output.write(piece)
        case .bundle(let framing):
            try output.write(count == 0 ? framing.header : framing.separator)
            try output.write(piece)
        }
        count += 1
    }

    /// Ends the output (a Bundle's footer, or the Bundle without entries).
    func close() throws(BatchError) {
        guard case .bundle(let framing) = layout else { return }
        try output.write(count == 0 ? framing.empty : framing.footer)
    }
}
