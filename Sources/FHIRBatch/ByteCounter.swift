import Foundation

/// A counter shared between the thread that reads inputs and the one that shows progress.
public final class ByteCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0

    /// A counter at zero.
    public init() {}

    /// Adds bytes read.
    public func add(_ count: Int) {
        lock.lock()
        total += count
        lock.unlock()
    }

    /// The bytes counted so far.
    public var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return total
    }
}
