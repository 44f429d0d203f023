import FHIRCore

/// Decides the format of every input and checks that the options fit the inputs, before any
/// output is written.
enum BatchPlanner {
    static func plan(
        _ inputs: [BatchInput], configuration: BatchConfiguration,
        shape: OutputShape
    ) throws(BatchError) -> [InputPlan] {
        var plans = try detect(
            inputs, from: configuration.from, formats: configuration.formats,
            bundleSplitting: configuration.split || shape == .lines ? .always : .never,
            maxRecordBytes: configuration.limits.maxRecordBytes, names: configuration.names)
        try checkUsage(&plans, configuration: configuration, shape: shape)
        return plans
    }

    /// Decides the format and layout of every input (`from` names the format, else it is
    /// detected from the content), and whether its Bundle is streamed entry by entry.
    static func detect(
        _ inputs: [BatchInput], from: String?, formats: FormatRegistry,
        bundleSplitting: RecordPipeline.BundleSplitting,
        maxRecordBytes: Int, names: SettingNames = .configuration
    ) throws(BatchError) -> [InputPlan] {
        var declared: InputFormat?
        if let name = from {
            guard let format = formats.input(named: name) else {
                let known = formats.inputs.map(\.name).joined(separator: ", ")
                throw .usage("unknown input format '\(name)' for \(names(.from)); use one of: \(known)")
            }
            declared = format
        }
        var plans: [InputPlan] = []
        for input in inputs {
            let reader = try InputReader(input)
            let head = try readHead(reader, maxRecordBytes: maxRecordBytes)
            let isWhole = reader.atEnd
            let splitsBundle: Bool
            switch bundleSplitting {
            case .always: splitsBundle = true
            case .never: splitsBundle = false
            case .whenLargerThan(let bytes): splitsBundle = (reader.regularFileSize ?? 0) > bytes
            }
            var openReader: InputReader? = nil
            if reader.isRegularFile {
                reader.close()  // opened again when its turn comes, so few files are open at once
            } else {
                reader.unread(head)  // a pipe cannot be read again: keep it, with its first bytes
                openReader = reader
            }
            var format = declared
            var layout: InputLayout?
            var problem: FHIRDiagnostic?
            if let declared {
                switch declared.framing {
                case .lines: layout = .ndjson
                case .jsonDocument: layout = LayoutDetector.jsonLayout(head)
                case .xmlDocument: layout = LayoutDetector.xmlLayout(head)
                }
            } else {
                do {
                    let detected = try LayoutDetector.detect(
                        head: head, isWholeInput: isWhole, fileExtension: input.fileExtension)
                    layout = detected
                    format = formats.input(for: detected)
                } catch {
                    problem = error
                }
            }
            plans.append(
                InputPlan(
                    input: input, format: problem == nil ? format : nil, layout: problem == nil ? layout : nil,
                    problem: problem, head: problem == nil ? [] : head, splitsBundle: splitsBundle,
                    openReader: openReader))
        }
        return plans
    }

    /// Reads enough of the input to detect its format: all of a file's first ``LayoutDetector/headSize``
    /// bytes, and from standard input only as much as has arrived once the format is clear (so a
    /// slow pipe is not waited on).
    private static func readHead(_ reader: InputReader, maxRecordBytes: Int) throws(BatchError) -> [UInt8] {
        var head: [UInt8]
        if reader.isRegularFile {
            head = try reader.readHead(limit: LayoutDetector.headSize)
        } else {
            head = []
            while head.count < LayoutDetector.headSize,
                try reader.read(into: &head, limit: LayoutDetector.headSize - head.count) > 0,
                !LayoutDetector.isConclusive(head)
            {}
        }
        // A JSON first line longer than the head may be the first record of NDJSON: read on to
        // its end (within the record limit) and a little past it, so detection sees it whole.
        guard head.count >= LayoutDetector.headSize, LayoutDetector.startsJSONLine(head) else { return head }
        var lineEnd: Int? = nil
        while lineEnd == nil, head.count < maxRecordBytes + LayoutDetector.headSize {
            let searchFrom = head.count
            guard try reader.read(into: &head, limit: InputReader.chunkSize) > 0 else { break }
            lineEnd = head[searchFrom...].firstIndex(of: UInt8(ascii: "\n"))
        }
        if let lineEnd, head.count - lineEnd < 2 { try reader.read(into: &head, limit: LayoutDetector.headSize) }
        return head
    }

    /// With `--output-dir`, two inputs named alike (`a.json` and `a.xml`) would write the same file.
    private static func checkDistinctNames(_ plans: [InputPlan]) throws(BatchError) {
        var seen: [String: String] = [:]
        for plan in plans {
            if let earlier = seen.updateValue(plan.input.displayName, forKey: plan.input.outputStem) {
                throw .usage(
                    "'\(earlier)' and '\(plan.input.displayName)' would both be written to '\(plan.input.outputStem)' "
                        + "in the output directory; convert them in separate runs or directories")
            }
        }
    }

    private static func checkUsage(_ plans: inout [InputPlan], configuration: BatchConfiguration, shape: OutputShape)
        throws(BatchError)
    {
        let names = configuration.names
        let to = names(.to(configuration.to))
        if configuration.groupByType {
            guard case .directory = configuration.output, shape == .lines else {
                throw .usage(
                    "\(names(.groupByType)) writes a Bulk Data folder: it needs \(names(.to("ndjson"))) and "
                        + names(.outputDirectory))
            }
        } else if case .directory = configuration.output {
            try checkDistinctNames(plans)
        }
        if shape == .lines {
            if configuration.bundle {
                throw .usage(
                    "\(names(.bundle)) gathers resources into one document; it needs \(names(.to("json"))) or "
                        + "\(names(.to("xml"))), not \(to)")
            }
            if configuration.pretty {
                throw .usage("\(names(.pretty)) cannot be used with \(to): it writes one record per line")
            }
        }
        guard case .documents = shape, !configuration.bundle else { return }
        switch configuration.output {
        case .standardOutput, .file:
            let many = plans.count > 1 || plans.contains { $0.yieldsManyRecords }
            if many {
                let what = plans.count > 1 ? "\(plans.count) inputs give" : "'\(plans[0].input.displayName)' gives"
                throw .usage(
                    "\(what) several resources but \(to) writes one document: add \(names(.bundle)) (one collection "
                        + "Bundle), or use \(names(.to("ndjson"))), or \(names(.outputDirectory))")
            }
        case .directory:
            for index in plans.indices where plans[index].yieldsManyRecords {
                guard configuration.split else {
                    throw .usage(
                        "'\(plans[index].input.displayName)' gives several resources but \(to) writes one document "
                            + "per file: add \(names(.bundle)) (one Bundle per input) or \(names(.split)) (one file "
                            + "per resource)")
                }
                plans[index].filePerRecord = true
            }
        }
    }
}
