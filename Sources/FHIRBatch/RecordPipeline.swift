public import FHIRCore

/// The input side every command that reads records shares (`convert`, `validate`, and the
/// commands after them): discovery of the inputs, detection of their formats, framing into
/// records, and the ordered parallel map that runs a command's record step on every core.
///
/// A command is this pipeline plus its record step and its output:
///
/// ```swift
/// let pipeline = RecordPipeline(inputs: ["night/"], limits: .default)
/// let planned = try pipeline.plan()
/// let map = OrderedParallelMap<PipelineItem, [String]>(jobs: 2, window: RecordPipeline.window(jobs: 2)) { item in
///     guard case .records(_, let records) = item else { return [] }
///     return records.map { "\($0.origin.input):\($0.origin.line)" }      // the record step
/// }
/// map.run(produce: { submit in RecordPipeline.read(planned.inputs, limits: .default, submit: submit) },
///         consume: { lines in print(lines.joined(separator: "\n")); return true })  // the output
/// ```
public struct RecordPipeline: Sendable {
    /// When a Bundle input is read entry by entry rather than as one record.
    public enum BundleSplitting: Sendable, Hashable {
        /// Always (`convert --split`, line outputs).
        case always
        /// Never: the Bundle is one record (up to the record size limit).
        case never
        /// When the input is a regular file larger than this many bytes (`validate`: a Bundle
        /// small enough is checked whole, as its own context; a larger one streams).
        case whenLargerThan(Int)
    }

    /// What planning found: the inputs in order, and what was passed over.
    public struct Planned: Sendable {
        /// The inputs with their formats, in the order they are read.
        public var inputs: [InputPlan]
        /// Files inside directories skipped for their extension.
        public var skipped: [String]
        /// Warnings about entries of directories that were not read (a named pipe, a device, a
        /// dangling symbolic link), each a whole line for standard error.
        public var warnings: [String]
    }

    /// Records per unit of work handed to a worker, at most.
    public static let chunkRecords = 256
    /// Bytes per unit of work, about.
    public static let chunkBytes = 1 << 20
    /// Units of work in flight per worker.
    static let chunksPerJob = 4

    /// Files, directories and `-`; none means standard input.
    public var inputs: [String]
    /// The input format name; nil to detect it from the content.
    public var from: String?
    /// The formats `from` may name.
    public var formats: FormatRegistry
    /// What the readers accept.
    public var limits: FHIRReadLimits
    /// Whether Bundles are streamed entry by entry.
    public var bundleSplitting: BundleSplitting

    /// Creates a pipeline over inputs.
    public init(inputs: [String], from: String? = nil, formats: FormatRegistry = .standard(),
                limits: FHIRReadLimits = .default, bundleSplitting: BundleSplitting = .always) {
        self.inputs = inputs
        self.from = from
        self.formats = formats
        self.limits = limits
        self.bundleSplitting = bundleSplitting
    }

    /// Finds the inputs and decides the format of each.
    /// - Throws: ``BatchError`` for a path that does not exist, an unknown format name, or
    ///   standard input named twice.
    public func plan() throws(BatchError) -> Planned {
        let discovered = try InputDiscovery.discover(inputs)
        let plans = try BatchPlanner.detect(discovered.inputs, from: from, formats: formats,
                                            bundleSplitting: bundleSplitting, maxRecordBytes: limits.maxRecordBytes)
        return Planned(inputs: plans, skipped: discovered.skipped, warnings: discovered.warnings)
    }

    /// Items in flight for `jobs` workers: enough to keep each busy, few enough to bound memory.
    public static func window(jobs: Int) -> Int { max(1, jobs) * chunksPerJob + 2 }

    /// Reads the inputs in order and submits their records in chunks, each input framed by
    /// `.inputStarted` and `.inputFinished`. Runs on the map's producer thread.
    /// - Parameters:
    ///   - counter: receives the bytes read, for progress and throughput.
    ///   - submit: returns false when the run is cancelled; reading stops then.
    public static func read(_ plans: [InputPlan], limits: FHIRReadLimits, counter: ByteCounter = ByteCounter(),
                            submit: (PipelineItem) -> Bool) {
        for (index, plan) in plans.enumerated() {
            guard submit(.inputStarted(index)) else { return }
            defer { _ = submit(.inputFinished(index)) }
            if let problem = plan.problem {
                guard submit(.inputFailed(index, .unusable(problem, partial: plan.head))) else { return }
                continue
            }
            let source: any RecordSource
            do {
                source = try makeSource(plan, limits: limits, counter: counter)
            } catch {
                guard submit(.inputFailed(index, error)) else { return }
                continue
            }
            var chunk: [RawRecord] = []
            var chunkWeight = 0
            do {
                while let record = try source.next() {
                    chunkWeight += record.weight
                    chunk.append(record)
                    if chunk.count >= chunkRecords || chunkWeight >= chunkBytes {
                        guard submit(.records(index, chunk)) else { return }
                        chunk = []
                        chunkWeight = 0
                    }
                }
                if !chunk.isEmpty { guard submit(.records(index, chunk)) else { return } }
            } catch {
                if !chunk.isEmpty { guard submit(.records(index, chunk)) else { return } }
                guard submit(.inputFailed(index, error)) else { return }
            }
        }
    }

    private static func makeSource(_ plan: InputPlan, limits: FHIRReadLimits, counter: ByteCounter) throws(InputFailure)
        -> any RecordSource {
        let reader: InputReader
        if let open = plan.openReader {
            reader = open
            reader.counter = counter
            counter.add(reader.bytesRead)
        } else {
            do { reader = try InputReader(plan.input, counter: counter) } catch { throw .io(error) }
        }
        switch (plan.format?.framing, plan.layout) {
        case (.lines?, _):
            return NDJSONSource(reader: reader, maxLineBytes: limits.maxRecordBytes)
        case (.jsonDocument?, .jsonBundle?) where plan.splitsBundle:
            return JSONBundleSource(reader: reader, maxEntryBytes: limits.maxRecordBytes, maxEntries: limits.maxBundleEntries)
        case (.xmlDocument?, .xmlBundle?) where plan.splitsBundle:
            return try XMLBundleSource(reader: reader, limits: limits)
        default:
            return DocumentSource(reader: reader, maxBytes: limits.maxRecordBytes)
        }
    }
}
