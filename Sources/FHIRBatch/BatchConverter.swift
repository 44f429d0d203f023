import FHIRCore

/// Runs a `convert` batch: finds the inputs, detects their formats, checks the options, then
/// streams every record through decode → checks → encode on all cores and writes the results in
/// input order, rejected records to the reject output, and a summary to standard error.
///
/// ```swift
/// var configuration = BatchConfiguration()
/// configuration.inputs = ["night/"]
/// configuration.to = "ndjson"
/// configuration.output = .file("night.ndjson")
/// configuration.rejectsPath = "night.rejects.ndjson"
/// let report = BatchConverter(configuration).run { print($0, terminator: "") }
/// ```
///
/// Guarantees: every record read is either written or rejected with its reason
/// (`read == written + rejected`); output files appear only complete (renamed into place at the
/// end, removed if the run fails or is stopped); memory is bounded by a window of records.
public struct BatchConverter: Sendable {
    public let configuration: BatchConfiguration

    /// Creates a converter for a configuration.
    public init(_ configuration: BatchConfiguration) {
        self.configuration = configuration
    }

    /// Runs the batch.
    /// - Parameter standardError: receives everything meant for standard error: text with its
    ///   own line breaks (error and warning lines, the summary; the progress line redraws with `\r`).
    /// - Returns: the counts and how the run ended.
    public func run(standardError: @escaping (String) -> Void) -> BatchReport {
        var report = BatchReport(status: .success)
        let plans: [InputPlan]
        let processor: RecordProcessor
        let router: OutputRouter
        var rejects: RejectWriter?
        do throws(BatchError) {
            let discovered = try InputDiscovery.discover(configuration.inputs)
            report.skippedFiles = discovered.skipped.count
            if !configuration.quiet { for warning in discovered.warnings { standardError(warning + "\n") } }
            guard let output = configuration.formats.output(named: configuration.to) else {
                let names = configuration.formats.outputs.map(\.name).joined(separator: ", ")
                throw BatchError.usage(
                    "unknown output format '\(configuration.to)' for \(configuration.names(.to(nil))); use one of: "
                        + names)
            }
            let encoder = output.makeEncoder(configuration.pretty)
            plans = try BatchPlanner.plan(discovered.inputs, configuration: configuration, shape: encoder.shape)
            let (encoding, layout) = try Self.encoding(encoder, bundle: configuration.bundle)
            processor = RecordProcessor(checks: configuration.checks, encoding: encoding)
            router = OutputRouter(
                target: configuration.output, layout: layout, fileExtension: output.fileExtension,
                gzip: configuration.gzip,
                groupByType: configuration.groupByType, names: configuration.names)
            try router.start()
            if let path = configuration.rejectsPath { rejects = try RejectWriter(path: path) }
        } catch {
            standardError(error.description + "\n")
            report.status = error.kind == .usage ? .usage : .ioFailure
            return report
        }
        report.inputs = plans.count
        var run = RunState(
            configuration: configuration, report: report, router: router, rejects: rejects,
            standardError: standardError, batchLike: plans.count > 1 || plans.contains { $0.yieldsManyRecords })
        let counter = ByteCounter()
        let map = OrderedParallelMap<PipelineItem, PipelineResult>(
            jobs: configuration.jobs, window: RecordPipeline.window(jobs: configuration.jobs)
        ) { item in
            item.process(with: processor, plans: plans)
        }
        let limits = configuration.limits
        map.run(
            produce: { submit in
                RecordPipeline.read(plans, limits: limits, counter: counter, submit: submit)
            },
            consume: { result in
                run.consume(result, plans: plans, bytesRead: counter.value)
            })
        return run.finish(bytesRead: counter.value)
    }

    /// The per-record encoding and the output layout for an encoder and `--bundle`.
    private static func encoding(_ encoder: any RecordEncoder, bundle: Bool) throws(BatchError)
        -> (RecordProcessor.Encoding, DocumentStream.Layout)
    {
        switch encoder.shape {
        case .lines:
            return (.plain(encoder), .lines)
        case .documents(let syntax):
            guard bundle else { return (.plain(encoder), .single) }
            do {
                let framing = try BundleFraming(encoder: encoder, syntax: syntax)
                return (.bundleEntries(framing), .bundle(framing))
            } catch {
                throw BatchError(.usage, "error: \(error.message)")
            }
        }
    }
}
