public import FHIRBatch
import FHIRCore
import FHIRJSON
import FHIRValidation
public import Foundation

/// `validate` on the record pipeline: the inputs are read twice, and memory is bounded by what
/// the cross-record rules need, not by the input.
///
/// 1. The first pass reads every record on every core (a JSON record for its links alone,
///    without decoding it; XML decoded) and keeps only its links (the keys
///    others name it by, the references the dosing rules follow; ``ContextLinks``) as hashes in
///    a ``LinkIndex``: a patient's records form one group, and a group's context also holds the
///    records its lookups name (a shared Medication).
/// 2. The second pass reads the records again and keeps each one (as read, not decoded) only
///    until the last record of every group that needs it has been read; then the group goes to a
///    worker, which decodes it, validates each member in the group's context (structure, units,
///    dosing, narrative) and places the findings. Groups are handed on in the order they are
///    complete, so findings stream out as they are found.
///
/// Each record is validated in a context holding every record the rules can reach from it, so
/// the findings are those of one context holding the whole input (a test holds it to that).
/// Standard input is read once into a temporary file, which the second pass reads again.
public struct StreamingValidation: Sendable {
    /// What is done with each record.
    public var step: RecordValidation
    /// Worker threads.
    public var jobs: Int

    /// A run with a step and a number of worker threads.
    public init(step: RecordValidation, jobs: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.step = step
        self.jobs = jobs
    }

    /// Bundles up to this size (or the record size limit, if lower) are checked whole.
    public static let wholeBundleBytes = 4 << 20

    /// The pipeline `validate` reads through: content detection, Bundles up to
    /// ``wholeBundleBytes`` checked whole (as their own context, with the Bundle's own rules),
    /// larger ones streamed entry by entry (each entry in its patient's group, validated from the
    /// definitions as the only entry of a collection Bundle; the rules needing the whole Bundle
    /// are reported as not checked, `bundle-streamed`).
    public func pipeline(inputs: [String]) -> RecordPipeline {
        RecordPipeline(
            inputs: inputs, limits: step.limits,
            bundleSplitting: .whenLargerThan(min(step.limits.maxRecordBytes, Self.wholeBundleBytes)))
    }

    /// Finds the inputs and their formats. Standard input (`-`, or no input) and any other input
    /// that cannot be read twice (a named pipe) is first copied into a temporary file, since the
    /// second pass reads every input again; it keeps its name (`<stdin>` for standard input).
    /// Call `cleanUp` after the run.
    public func plan(inputs: [String]) throws(BatchError) -> (
        planned: RecordPipeline.Planned, cleanUp: @Sendable () -> Void
    ) {
        var arguments = inputs.isEmpty ? ["-"] : inputs
        var copies: [String: String] = [:]  // temporary file → the name it stands for
        func removeCopies() { for path in copies.keys { try? FileManager.default.removeItem(atPath: path) } }
        for index in arguments.indices where !Self.canBeReadTwice(arguments[index]) {
            do {
                let copy = try Self.copy(arguments[index])
                copies[copy] = arguments[index] == "-" ? BatchInput.standardInput.displayName : arguments[index]
                arguments[index] = copy
            } catch {
                removeCopies()
                throw error
            }
        }
        do {
            var planned = try pipeline(inputs: arguments).plan()
            for index in planned.inputs.indices {
                if case .file(let path) = planned.inputs[index].input.location, let name = copies[path] {
                    planned.inputs[index].input.displayName = name
                }
            }
            let paths = Array(copies.keys)
            return (planned, { for path in paths { try? FileManager.default.removeItem(atPath: path) } })
        } catch {
            removeCopies()
            throw error
        }
    }

    /// A regular file or a directory (whose entries discovery checks itself).
    private static func canBeReadTwice(_ argument: String) -> Bool {
        guard argument != "-" else { return false }
        guard let type = (try? FileManager.default.attributesOfItem(atPath: argument))?[.type] as? FileAttributeType
        else {
            return true  // missing: discovery says so
        }
        return type == .typeRegular || type == .typeDirectory || type == .typeSymbolicLink
    }

    /// Copies standard input (`-`) or a pipe into a new temporary file; returns its path.
    private static func copy(_ argument: String) throws(BatchError) -> String {
        let name = argument == "-" ? BatchInput.standardInput.displayName : argument
        let path =
            NSTemporaryDirectory()
            + "/ivig-fhir-input-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)"
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let file = FileHandle(forWritingAtPath: path),
            let source = argument == "-" ? FileHandle.standardInput : FileHandle(forReadingAtPath: argument)
        else {
            throw BatchError(.io, "\(name): error: cannot be kept in a temporary file for the second pass")
        }
        do {
            while let chunk = try source.read(upToCount: 1 << 20), !chunk.isEmpty { try file.write(contentsOf: chunk) }
            try file.close()
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw BatchError(.io, "\(name): error: cannot be read or kept in a temporary file: \(error)")
        }
        return path
    }

    /// What a run found, in numbers.
    public struct Summary: Sendable {
        /// Inputs read.
        public var inputs = 0
        /// Records read (an unusable input counts as one).
        public var records = 0
        /// Records decoded and checked.
        public var checked = 0
        /// Findings by severity.
        public var fatal = 0, errors = 0, warnings = 0, information = 0
        /// Inputs that could not be read (each with a message on `problems`).
        public var unreadableInputs = 0
        /// Input bytes read in the second pass.
        public var bytesRead = 0

        /// `summary: 3 inputs, 12 records read, 11 checked, 1 unreadable; 2 errors, 1 warning, 4 information`.
        ///
        /// Every record is either checked or unreadable (not FHIR at all, or breaking a rule the
        /// model enforces; each has a finding saying why), so the first counts add up.
        public var line: String {
            func count(_ number: Int, _ name: String, plural: String? = nil) -> String {
                "\(number) \(number == 1 ? name : plural ?? name + "s")"
            }
            return "summary: \(count(inputs, "input")), \(count(records, "record")) read, \(checked) checked, "
                + "\(records - checked) unreadable; "
                + [
                    count(fatal + errors, "error"), count(warnings, "warning"),
                    count(information, "information", plural: "information"),
                ]
                .joined(separator: ", ")
        }

        mutating func count(_ findings: [ValidationFinding]) {
            for finding in findings {
                switch finding.severity {
                case .fatal: fatal += 1
                case .error: errors += 1
                case .warning: warnings += 1
                case .information: information += 1
                }
            }
        }
    }

    /// Validates planned inputs (from ``pipeline(inputs:)``), handing the findings of each record
    /// that has any to `emit` as they are found.
    /// - Parameters:
    ///   - problems: whole lines about inputs that cannot be read.
    ///   - everyRecord: emit records without findings too (for formats that list every record,
    ///     JUnit's); otherwise only records with findings are emitted.
    ///   - emit: called on the calling thread; a thrown error stops the run and is rethrown.
    public func run(
        _ planned: RecordPipeline.Planned, everyRecord: Bool = false, problems: (String) -> Void,
        emit: (RecordFindings) throws -> Void
    ) throws -> Summary {
        let plans = planned.inputs
        var summary = Summary()
        summary.inputs = plans.count
        let plan = firstPass(plans)
        var failure: (any Error)?
        let counter = ByteCounter()
        let map = OrderedParallelMap<SecondPassItem, SecondPassResult>(
            jobs: jobs, window: RecordPipeline.window(jobs: jobs)
        ) { [step] item in
            item.process(step: step, plans: plans)
        }
        let limits = step.limits
        map.run(
            produce: { submit in
                var grouper = Grouper(plan: plan)
                RecordPipeline.read(plans, limits: limits, counter: counter) { item in
                    grouper.take(item, submit: submit)
                }
                grouper.completeTheRest()
                grouper.flush(submit: submit)
            },
            consume: { result in
                do {
                    switch result {
                    case .inputFailed(_, .io(let error)):
                        summary.unreadableInputs += 1
                        problems(error.description)
                    case .inputFailed(let index, .unusable(let problem, _)):
                        var finding = RecordDecoding.finding(for: problem)
                        finding.file = FHIRDiagnostic.printable(plans[index].input.displayName)
                        summary.records += 1
                        summary.count([finding])
                        try emit(RecordFindings(input: plans[index].input.displayName, findings: [finding]))
                    case .records(let records):
                        for record in records {
                            summary.records += 1
                            if record.checked { summary.checked += 1 }
                            summary.count(record.findings.findings)
                            if everyRecord || !record.findings.findings.isEmpty { try emit(record.findings) }
                        }
                    }
                    return true
                } catch {
                    failure = error
                    return false
                }
            })
        if let failure { throw failure }
        summary.bytesRead = counter.value
        return summary
    }

    // MARK: First pass

    private func firstPass(_ plans: [InputPlan]) -> GroupPlan {
        let index = LinkIndex()
        let map = OrderedParallelMap<PipelineItem, [HashedLinks]>(jobs: jobs, window: RecordPipeline.window(jobs: jobs))
        {
            [step] item in
            guard case .records(let input, let records) = item else { return [] }
            let isXML = plans[input].isXML
            return records.map { raw in
                guard let links = Self.links(of: raw, isXML: isXML, limits: step.limits) else { return HashedLinks() }
                return HashedLinks(
                    keys: links.keys.map(HashedLinks.hash), patientLinks: links.patientLinks.map(HashedLinks.hash),
                    lookups: links.lookups.map(HashedLinks.hash))
            }
        }
        let limits = step.limits
        map.run(
            produce: { submit in
                RecordPipeline.read(plans, limits: limits, submit: submit)
            },
            consume: { links in
                links.forEach(index.add)
                return true
            })
        return index.plan()
    }
}

extension StreamingValidation {
    /// A record's links: JSON is read for them alone (``ContextLinks/init(json:)``, no
    /// decoding), XML is decoded; nil when the record cannot be read.
    static func links(of raw: RawRecord, isXML: Bool, limits: FHIRReadLimits) -> ContextLinks? {
        if raw.framingProblem == nil, !isXML, case .bytes(let bytes) = raw.payload,
            let view = try? JSONRecordView(parsing: bytes, limits: limits)
        {
            let json = JSONLinkSource(view: view)
            if case .bundleEntry = raw.origin.position { return ContextLinks(bundleEntry: json) }
            return ContextLinks(json: json)
        }
        return RecordDecoding.decode(raw, isXML: isXML, limits: limits, otherTypes: false).resource.map {
            ContextLinks(record: $0)
        }
    }
}

/// A record's JSON as ``ContextLinks`` reads it.
private struct JSONLinkSource: ContextLinkSource {
    let view: JSONRecordView
    func member(_ name: String) -> JSONLinkSource? { view.member(name).map(JSONLinkSource.init) }
    func values(_ name: String) -> [JSONLinkSource] { view.values(name).map(JSONLinkSource.init) }
    var string: String? { view.string }
}

// MARK: Second pass

/// A group of records to validate together: all of them are context, the members are checked.
struct GroupWork: Sendable {
    /// (input index, record) in reading order.
    var records: [(input: Int, raw: RawRecord)]
    /// Positions in `records` of the records to check.
    var members: [Int]
}

enum SecondPassItem: Sendable {
    case groups([GroupWork])
    case inputFailed(Int, InputFailure)

    func process(step: RecordValidation, plans: [InputPlan]) -> SecondPassResult {
        switch self {
        case .inputFailed(let index, let failure): return .inputFailed(index, failure)
        case .groups(let groups):
            var results: [CheckedRecord] = []
            for group in groups {
                let decoded = group.records.map { step.decode($0.raw, isXML: plans[$0.input].isXML) }
                let findings = step.validate(decoded, members: group.members)
                for (member, found) in zip(group.members, findings) {
                    let name = plans[group.records[member].input].input.displayName
                    let resource = decoded[member].resource.map { resource in
                        resource.resourceType + (resource.resource.id?.value.map { "/" + $0 } ?? "")
                    }
                    let record = RecordFindings(
                        input: name, findings: found, line: group.records[member].raw.origin.line, resource: resource)
                    results.append(CheckedRecord(findings: record, checked: decoded[member].resource != nil))
                }
            }
            return .records(results)
        }
    }
}

struct CheckedRecord: Sendable {
    var findings: RecordFindings
    var checked: Bool
}

enum SecondPassResult: Sendable {
    case records([CheckedRecord])
    case inputFailed(Int, InputFailure)
}

/// The second pass's reading side: keeps records until the groups needing them are complete,
/// and hands complete groups on in batches.
private struct Grouper {
    let plan: GroupPlan
    /// Group → its members, in order (filled as they are read).
    private var members: [Int32: [Int32]] = [:]
    private var kept: [Int32: (input: Int, raw: RawRecord)] = [:]
    /// Groups by the record that completes them; records by the one after which they go.
    private let readyOrder: [Int32]
    private let releaseOrder: [Int32]
    private var readyNext = 0
    private var releaseNext = 0
    private var number: Int32 = 0
    private var pending: [GroupWork] = []
    private var pendingRecords = 0
    private var cancelled = false

    init(plan: GroupPlan) {
        self.plan = plan
        readyOrder = plan.ready.indices.map(Int32.init).sorted { (plan.ready[Int($0)], $0) < (plan.ready[Int($1)], $1) }
        releaseOrder = plan.release.indices.map(Int32.init).sorted {
            (plan.release[Int($0)], $0) < (plan.release[Int($1)], $1)
        }
    }

    /// Takes what the reader submits; false stops it.
    mutating func take(_ item: PipelineItem, submit: (SecondPassItem) -> Bool) -> Bool {
        guard !cancelled else { return false }
        switch item {
        case .records(let input, let records):
            for raw in records { add(raw, input: input) }
            if pendingRecords >= RecordPipeline.chunkRecords { flush(submit: submit) }
        case .inputFailed(let index, let failure):
            flush(submit: submit)
            cancelled = !submit(.inputFailed(index, failure))
        case .inputStarted, .inputFinished:
            break
        }
        return !cancelled
    }

    private mutating func add(_ raw: RawRecord, input: Int) {
        let record = number
        number += 1
        guard Int(record) < plan.group.count else {
            // The input changed since the first pass: validated on its own.
            pending.append(GroupWork(records: [(input, raw)], members: [0]))
            pendingRecords += 1
            return
        }
        kept[record] = (input, raw)
        members[plan.group[Int(record)], default: []].append(record)
        while readyNext < readyOrder.count, plan.ready[Int(readyOrder[readyNext])] <= record {
            complete(readyOrder[readyNext])
            readyNext += 1
        }
        while releaseNext < releaseOrder.count, plan.release[Int(releaseOrder[releaseNext])] <= record {
            kept[releaseOrder[releaseNext]] = nil
            releaseNext += 1
        }
    }

    /// Completes the groups still open at the end (only when an input gave fewer records than
    /// in the first pass, having changed since): their records are validated with what was read.
    mutating func completeTheRest() {
        while readyNext < readyOrder.count {
            complete(readyOrder[readyNext])
            readyNext += 1
        }
    }

    private mutating func complete(_ group: Int32) {
        let own = members.removeValue(forKey: group) ?? []
        let all = (own + (plan.extras[group] ?? [])).sorted()
        var work = GroupWork(records: [], members: [])
        for record in all {
            guard let kept = kept[record] else { continue }
            if plan.group[Int(record)] == group { work.members.append(work.records.count) }
            work.records.append(kept)
        }
        pendingRecords += work.records.count
        pending.append(work)
    }

    mutating func flush(submit: (SecondPassItem) -> Bool) {
        guard !pending.isEmpty, !cancelled else { return }
        cancelled = !submit(.groups(pending))
        pending = []
        pendingRecords = 0
    }
}
