import FHIRCore

/// The writing side of a run, on the calling thread: routes results to the outputs in order,
/// writes rejects, echoes errors, keeps the counts and the progress line.
struct RunState {
    let configuration: BatchConfiguration
    var report: BatchReport
    let router: OutputRouter
    let rejects: RejectWriter?
    let standardError: (String) -> Void
    /// Several inputs or multi-record inputs: a summary is printed at the end.
    let batchLike: Bool
    private var progress: ProgressLine
    private var echoedErrors = 0
    /// A failure that ends the run (an output cannot be written).
    private var fatal: BatchError?

    init(
        configuration: BatchConfiguration, report: BatchReport, router: OutputRouter, rejects: RejectWriter?,
        standardError: @escaping (String) -> Void, batchLike: Bool
    ) {
        self.configuration = configuration
        self.report = report
        self.router = router
        self.rejects = rejects
        self.standardError = standardError
        self.batchLike = batchLike
        progress = ProgressLine(enabled: configuration.showProgress && !configuration.quiet)
    }

    /// Handles one result; false stops the run.
    mutating func consume(_ result: PipelineResult, plans: [InputPlan], bytesRead: Int) -> Bool {
        do {
            switch result {
            case .inputStarted(let index):
                try router.beginInput(plans[index])
            case .inputFinished:
                try router.endInput()
            case .inputFailed(let index, let failure):
                return try inputFailed(plans[index], failure)
            case .records(let index, let records):
                for record in records {
                    guard try handle(record, plan: plans[index]) else { return false }
                }
                if let text = progress.update(records: report.read, rejected: report.rejected, bytes: bytesRead) {
                    standardError(text)
                }
            }
            return true
        } catch {
            fatal = error
            return false
        }
    }

    /// Writes or rejects one record; false when `--fail-fast` stops here.
    private mutating func handle(_ record: ProcessedRecord, plan: InputPlan) throws(BatchError) -> Bool {
        report.read += 1
        show(record.warnings, origin: record.origin)
        var errors: [FHIRDiagnostic]
        switch record.outcome {
        case .converted(let pieces):
            guard let problem = try router.write(pieces, origin: record.origin) else {
                report.written += 1
                return true
            }
            var located = problem
            located.location = SourceLocation(line: record.origin.line, column: 1, byteOffset: record.origin.byteOffset)
            errors = [located]
        case .rejected(let reasons):
            errors = reasons
        }
        let raw = record.rejectedRecord
        try reject(
            bytes: raw?.originalBytes ?? [], truncated: raw?.isTruncated ?? false, origin: record.origin, errors: errors
        )
        // A record that is the whole input (one resource document) leaves the input unusable.
        if case .document = record.origin.position { report.unusableInputs += 1 }
        return !configuration.failFast
    }

    /// Reports an input whose rest is lost; false when `--fail-fast` stops here.
    private mutating func inputFailed(_ plan: InputPlan, _ failure: InputFailure) throws(BatchError) -> Bool {
        switch failure {
        case .io(let error):
            clearProgress()
            standardError(error.description + "\n")
            report.unreadableInputs += 1
            return true
        case .unusable(let problem, let partial):
            // Counted as one rejected record, so the counts still add up.
            report.read += 1
            report.unusableInputs += 1
            let origin = RecordOrigin(
                input: plan.input.displayName, position: .document, byteOffset: problem.location?.byteOffset ?? 0)
            try reject(bytes: partial, truncated: true, origin: origin, errors: [problem])
            return !configuration.failFast
        }
    }

    private mutating func reject(bytes: [UInt8], truncated: Bool, origin: RecordOrigin, errors: [FHIRDiagnostic])
        throws(BatchError)
    {
        let errors = errors.map(configuration.names.advised)
        report.rejected += 1
        try rejects?.write(record: bytes, truncated: truncated, origin: origin, errors: errors)
        try router.reject(origin: origin, errors: errors)
        // Echo on standard error; with a reject file only the first few (it has them all).
        if rejects != nil {
            guard !configuration.quiet else { return }
            echoedErrors += 1
            if echoedErrors > configuration.echoedErrorsWithRejectFile {
                if echoedErrors == configuration.echoedErrorsWithRejectFile + 1, let path = configuration.rejectsPath {
                    clearProgress()
                    standardError("note: further rejected records are reported only in \(path)\n")
                }
                return
            }
        }
        clearProgress()
        for error in errors { standardError(error.inFile(origin.input).description + "\n") }
    }

    private mutating func show(_ warnings: [FHIRDiagnostic], origin: RecordOrigin) {
        guard !warnings.isEmpty, !configuration.quiet else { return }
        clearProgress()
        for warning in warnings {
            standardError(configuration.names.advised(warning).inFile(origin.input).description + "\n")
        }
    }

    private mutating func clearProgress() {
        if let text = progress.clear() { standardError(text) }
    }

    /// Commits or discards the outputs and prints the summary.
    mutating func finish(bytesRead: Int) -> BatchReport {
        clearProgress()
        report.bytesRead = bytesRead
        if let fatal {
            // Nothing of a failed run is left behind.
            standardError(fatal.description + "\n")
            router.discard()
            rejects?.discard()
            report.status = fatal.kind == .usage ? .usage : .ioFailure
            return report
        }
        report.stoppedAtFirstReject = configuration.failFast && report.rejected > 0
        do {
            // --fail-fast keeps the reject output (it says why) and writes no converted output.
            if report.stoppedAtFirstReject { router.discard() } else { try router.commit() }
            try rejects?.commit()
        } catch {
            standardError(error.description + "\n")
            router.discard()
            rejects?.discard()
            report.status = .ioFailure
            return report
        }
        if !configuration.quiet && batchLike {
            var line = report.summaryLine(names: configuration.names)
            if report.rejected > 0, let path = configuration.rejectsPath { line += " (rejects in \(path))" }
            standardError(line + "\n")
        }
        if report.unreadableInputs > 0 {
            report.status = .ioFailure
        } else if report.unusableInputs > 0 {
            report.status = .unusableInput
        } else if report.rejected > 0 {
            report.status = .someRejected
        } else {
            report.status = .success
        }
        return report
    }
}
