import Foundation

/// Transforms a stream of items on several threads and hands the results back in the order the
/// items came, holding at most `window` items in flight, so memory is bounded by the window and
/// not by the length of the stream.
///
/// Three kinds of threads take part: one producer (a new thread, which reads inputs), `jobs`
/// workers, and the consumer (the caller's thread, which writes outputs in order). The producer
/// blocks while the window is full; the consumer can stop everything early (`--fail-fast`, an
/// I/O failure), after which the producer's `submit` returns false.
public final class OrderedParallelMap<Input: Sendable, Output: Sendable>: @unchecked Sendable {
    private let jobs: Int
    private let window: Int
    private let transform: @Sendable (Input) -> Output

    // Everything below is guarded by `condition`.
    private let condition = NSCondition()
    /// Submitted items not yet taken by a worker; `queue[i]` has sequence number `queueBase + i`.
    private var queue: [Input?] = []
    private var queueHead = 0
    private var queueBase = 0
    private var results: [Int: Output] = [:]
    private var submitted = 0
    private var emitted = 0
    private var producerFinished = false
    private var cancelled = false
    private var runningThreads = 0

    /// - Parameters:
    ///   - jobs: worker threads (at least 1).
    ///   - window: items submitted and not yet consumed, at most (at least `jobs`).
    ///   - transform: the work, run on worker threads.
    public init(jobs: Int, window: Int, transform: @escaping @Sendable (Input) -> Output) {
        self.jobs = max(1, jobs)
        self.window = max(window, self.jobs)
        self.transform = transform
    }

    /// Runs the map.
    /// - Parameters:
    ///   - produce: runs on a new thread; calls `submit` for each item in order. `submit`
    ///     blocks while the window is full and returns false once the run is cancelled.
    ///   - consume: runs on the calling thread with each result in order; returning false
    ///     cancels the run.
    public func run(produce: @escaping @Sendable (_ submit: (Input) -> Bool) -> Void, consume: (Output) -> Bool) {
        condition.lock()
        runningThreads = jobs + 1
        condition.unlock()
        for _ in 0..<jobs {
            Thread { [self] in
                work()
                threadFinished()
            }.start()
        }
        Thread { [self] in
            produce { item in submit(item) }
            condition.lock()
            producerFinished = true
            condition.broadcast()
            condition.unlock()
            threadFinished()
        }.start()

        while let output = nextResult() {
            if !consume(output) {
                cancel()
                break
            }
        }
        // Wait for every thread, so nothing outlives the run.
        condition.lock()
        while runningThreads > 0 { condition.wait() }
        condition.unlock()
    }

    private func submit(_ item: Input) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !cancelled && submitted - emitted >= window { condition.wait() }
        guard !cancelled else { return false }
        queue.append(item)
        submitted += 1
        condition.broadcast()
        return true
    }

    private func work() {
        while true {
            condition.lock()
            while !cancelled && queueHead == queue.count && !producerFinished { condition.wait() }
            if cancelled || queueHead == queue.count {
                condition.unlock()
                return
            }
            let sequence = queueBase + queueHead
            let item = queue[queueHead].take()!
            queueHead += 1
            if queueHead >= 64 && queueHead * 2 >= queue.count {  // drop the taken front now and then
                queue.removeFirst(queueHead)
                queueBase += queueHead
                queueHead = 0
            }
            condition.unlock()

            let output = transform(item)

            condition.lock()
            results[sequence] = output
            condition.broadcast()
            condition.unlock()
        }
    }

    /// The next result in order, or nil when all are consumed or the run was cancelled.
    private func nextResult() -> Output? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if cancelled { return nil }
            if let output = results.removeValue(forKey: emitted) {
                emitted += 1
                condition.broadcast()
                return output
            }
            if producerFinished && emitted == submitted { return nil }
            condition.wait()
        }
    }

    private func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    private func threadFinished() {
        condition.lock()
        runningThreads -= 1
        condition.broadcast()
        condition.unlock()
    }
}
