/// What the reading thread hands to the workers, in input order (see ``RecordPipeline``).
public enum PipelineItem: Sendable {
    /// Input `Int` (an index into the planned inputs) begins.
    case inputStarted(Int)
    /// A chunk of records of input `Int`, processed together by one worker.
    case records(Int, [RawRecord])
    /// The rest of input `Int` is lost.
    case inputFailed(Int, InputFailure)
    /// Input `Int` has been read to its end.
    case inputFinished(Int)

    /// The worker's part: records are decoded, checked and encoded; the rest passes through.
    func process(with processor: RecordProcessor, plans: [InputPlan]) -> PipelineResult {
        switch self {
        case .inputStarted(let index): return .inputStarted(index)
        case .inputFailed(let index, let failure): return .inputFailed(index, failure)
        case .inputFinished(let index): return .inputFinished(index)
        case .records(let index, let records):
            guard let decoder = plans[index].format?.decoder else { return .records(index, []) }
            return .records(index, records.map { processor.process($0, decoder: decoder) })
        }
    }
}

/// What the workers hand to the writing thread, in input order.
enum PipelineResult: Sendable {
    case inputStarted(Int)
    case records(Int, [ProcessedRecord])
    case inputFailed(Int, InputFailure)
    case inputFinished(Int)
}

