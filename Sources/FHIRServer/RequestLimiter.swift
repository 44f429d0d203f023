import Synchronization

/// Bounds the requests worked on at once, with a bounded queue behind them: a request past both
/// is refused at once (503 with `Retry-After`) rather than held, so a burst cannot pile up work
/// and memory without limit.
final class RequestLimiter: Sendable {
    private struct State {
        var active = 0
        var waiting: [CheckedContinuation<Bool, Never>] = []
        var waitingStart = 0
    }

    private enum Decision { case granted, queued, refused }

    private let state = Mutex(State())
    /// Requests worked on at once.
    let maxActive: Int
    /// Requests that may wait for a slot.
    let maxWaiting: Int

    init(maxActive: Int, maxWaiting: Int) {
        self.maxActive = max(1, maxActive)
        self.maxWaiting = max(0, maxWaiting)
    }

    /// A slot, once one is free; nil when every slot and queue place is taken. The slot is given
    /// back when the returned lease is released (or dropped).
    func acquire() async -> Lease? {
        let granted = state.withLock { state -> Bool in
            guard state.active < maxActive else { return false }
            state.active += 1
            return true
        }
        if granted { return Lease(self) }
        let admitted = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let decision = state.withLock { state -> Decision in
                // A slot may have been freed since the first look.
                if state.active < maxActive {
                    state.active += 1
                    return .granted
                }
                guard state.waiting.count - state.waitingStart < maxWaiting else { return .refused }
                state.waiting.append(continuation)
                return .queued
            }
            switch decision {
            case .granted: continuation.resume(returning: true)
            case .refused: continuation.resume(returning: false)
            case .queued: break
            }
        }
        return admitted ? Lease(self) : nil
    }

    /// Hands the slot to the first waiting request, or frees it.
    fileprivate func release() {
        let next = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            if state.waitingStart < state.waiting.count {
                let next = state.waiting[state.waitingStart]
                state.waitingStart += 1
                if state.waitingStart > 64 && state.waitingStart * 2 > state.waiting.count {
                    state.waiting.removeFirst(state.waitingStart)
                    state.waitingStart = 0
                }
                return next  // the slot passes on: `active` stays
            }
            state.active -= 1
            return nil
        }
        next?.resume(returning: true)
    }

    /// One request's slot; released once, when the response is written (or dropped unwritten).
    final class Lease: Sendable {
        private let limiter: RequestLimiter
        private let released = Atomic(false)

        fileprivate init(_ limiter: RequestLimiter) { self.limiter = limiter }

        func release() {
            if !released.exchange(true, ordering: .acquiringAndReleasing) { limiter.release() }
        }

        deinit { release() }
    }
}
