import FHIRCore
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Sends converted records to their output: standard output, one `--output` file, or one file
/// per input (or per record with `--split`) in an `--output-dir`.
///
/// Files are finished as their input ends but renamed into place only by ``commit()`` at the end
/// of a successful run; ``discard()`` removes them all (a stopped or failed run leaves nothing).
final class OutputRouter {
    private let target: BatchConfiguration.Output
    private let layout: DocumentStream.Layout
    private let fileExtension: String
    /// Whether outputs are gzip'd (`--gzip`; files in a directory get `.gz` after their extension).
    private let gzip: Bool
    /// The Bulk Data export folder, with `--group-by type`: files per resource type, not per input.
    private let bulkExport: BulkExportOutput?
    /// Standard output, when it is the target.
    private var standardOutput: DescriptorWriter?
    /// The current stream and its file (nil for standard output).
    private var stream: DocumentStream?
    private var file: OutputFile?
    /// Files finished and waiting for the rename.
    private var finished: [OutputFile] = []
    private var usedPaths: Set<String> = []
    /// Whether the current input gets one file per record (`--output-dir --split` of a
    /// multi-record input into single documents).
    private var filePerRecord = false
    private var currentStem = ""
    private let names: SettingNames

    init(
        target: BatchConfiguration.Output, layout: DocumentStream.Layout, fileExtension: String, gzip: Bool = false,
        groupByType: Bool = false, names: SettingNames = .configuration
    ) {
        self.names = names
        if groupByType, case .directory(let directory) = target {
            bulkExport = BulkExportOutput(directory: directory, gzip: gzip)
        } else {
            bulkExport = nil
        }
        self.target = target
        self.layout = layout
        self.fileExtension = gzip ? fileExtension + ".gz" : fileExtension
        self.gzip = gzip
    }

    /// Opens standard output or the `--output` file.
    func start() throws(BatchError) {
        switch target {
        case .standardOutput:
            let writer = DescriptorWriter(descriptor: STDOUT_FILENO, name: "<stdout>", gzip: gzip)
            standardOutput = writer
            stream = DocumentStream(output: writer, layout: layout)
        case .file(let path):
            let output = try OutputFile(path: path, gzip: gzip)
            file = output
            stream = DocumentStream(output: output, layout: layout)
        case .directory(let path):
            try Self.makeDirectory(path)
        }
    }

    /// Starts an input: in a directory, opens its file (unless it gets one file per record).
    func beginInput(_ plan: InputPlan) throws(BatchError) {
        guard case .directory = target, bulkExport == nil else { return }
        currentStem = plan.input.outputStem
        filePerRecord = plan.filePerRecord
        if !filePerRecord { try open(stem: currentStem) }
    }

    /// Writes one record's pieces; returns a reason to reject it when they do not fit the output.
    func write(_ pieces: [[UInt8]], origin: RecordOrigin) throws(BatchError) -> FHIRDiagnostic? {
        if pieces.isEmpty { return nil }
        if let bulkExport {
            for piece in pieces {
                if let problem = try bulkExport.write(piece) { return problem }
            }
            return nil
        }
        if filePerRecord {
            guard pieces.count == 1 else { return tooMany(pieces.count) }
            let number: Int
            switch origin.position {
            case .document: number = 0
            case .line(let line): number = line
            case .bundleEntry(let index, _, _): number = index
            }
            try open(stem: "\(currentStem)-\(number)")
            guard let stream else { return nil }
            try stream.append(pieces[0])
            try finishFile(stream)
            self.stream = nil
            return nil
        }
        guard let stream else { return nil }
        guard stream.accepts(pieces: pieces.count) else { return tooMany(pieces.count) }
        for piece in pieces { try stream.append(piece) }
        return nil
    }

    /// Ends an input: in a directory, finishes its file.
    func endInput() throws(BatchError) {
        guard case .directory = target, bulkExport == nil, !filePerRecord, let stream else { return }
        try finishFile(stream)
        self.stream = nil
    }

    /// Finishes the single output and renames every file into place.
    func commit() throws(BatchError) {
        if let stream, case .file = target {
            try finishFile(stream)
        } else if let stream, let standardOutput {
            try stream.close()
            try standardOutput.finish()
        }
        stream = nil
        try bulkExport?.commit()
        for output in finished { try output.commit() }
        finished.removeAll()
    }

    /// Flushes what reached standard output and removes every unfinished or unrenamed file.
    func discard() {
        try? standardOutput?.flush()
        file?.discard()
        bulkExport?.discard()
        for output in finished { output.discard() }
        finished.removeAll()
    }

    private func open(stem: String) throws(BatchError) {
        guard case .directory(let directory) = target else { return }
        let path = (directory.hasSuffix("/") ? directory : directory + "/") + stem + "." + fileExtension
        guard usedPaths.insert(path).inserted else {
            throw BatchError(.usage, "\(path): error: two outputs of this run would have this name")
        }
        if let slash = path.lastIndex(of: "/") { try Self.makeDirectory(String(path[..<slash])) }
        let output = try OutputFile(path: path, gzip: gzip)
        file = output
        stream = DocumentStream(output: output, layout: layout)
    }

    /// Keeps a rejected record's errors with the output, as Bulk Data's error file does (with
    /// `--group-by type`; otherwise only the reject file has them).
    func reject(origin: RecordOrigin, errors: [FHIRDiagnostic]) throws(BatchError) {
        try bulkExport?.reject(origin: origin, errors: errors)
    }

    /// Closes the current file's document; a single document that got no record (it was
    /// rejected) leaves no file at all.
    private func finishFile(_ stream: DocumentStream) throws(BatchError) {
        guard let output = file else { return }
        file = nil
        if case .single = layout, stream.count == 0 {
            output.discard()
            return
        }
        try stream.close()
        try output.finishWriting()
        finished.append(output)
    }

    private func tooMany(_ count: Int) -> FHIRDiagnostic {
        FHIRDiagnostic(
            code: .invalidValue,
            message:
                "the record gives \(count) resources but the output holds one document; use \(names(.bundle)) or "
                + names(.to("ndjson")))
    }

    static func makeDirectory(_ path: String) throws(BatchError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw BatchError(.io, "\(path): error: cannot create the output directory")
        }
    }
}
