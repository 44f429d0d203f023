import Foundation
import Testing

@testable import FHIRBatch

/// The parallel map keeps order, bounds what is in flight, and stops when asked.
@Suite struct OrderedParallelMapTests {
    /// Counts items between submit and consume, and remembers the most seen at once.
    final class InFlight: @unchecked Sendable {
        private let lock = NSLock()
        private var current = 0
        private(set) var most = 0
        func change(_ delta: Int) {
            lock.lock()
            current += delta
            most = max(most, current)
            lock.unlock()
        }
    }

    @Test(arguments: [1, 2, 8])
    func resultsComeInInputOrderWithinTheWindow(jobs: Int) {
        let inFlight = InFlight()
        let map = OrderedParallelMap<Int, Int>(jobs: jobs, window: 16) { value in
            usleep(UInt32((value * 7919) % 300))  // uneven work, so workers finish out of order
            return value * 2
        }
        var seen: [Int] = []
        map.run(
            produce: { submit in
                for value in 0..<2_000 {
                    inFlight.change(1)
                    guard submit(value) else { return }
                }
            },
            consume: { output in
                inFlight.change(-1)
                seen.append(output)
                return true
            })
        #expect(seen == (0..<2_000).map { $0 * 2 })
        #expect(inFlight.most <= 16 + 2)  // the window, the one being submitted, the one being consumed
    }

    @Test func theConsumerCanStopTheRun() {
        let map = OrderedParallelMap<Int, Int>(jobs: 2, window: 4) { $0 }
        var seen: [Int] = []
        let producerStopped = InFlight()
        map.run(
            produce: { submit in
                for value in 0..<1_000_000 where !submit(value) {
                    producerStopped.change(1)
                    return
                }
            },
            consume: { output in
                seen.append(output)
                return output < 9
            })
        #expect(seen == Array(0...9))
        #expect(producerStopped.most == 1)
    }
}
