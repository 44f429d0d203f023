#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One spare object of a kind per thread: the fast paths' per-document workspaces (node lists,
/// byte buffers, stacks) are taken from it and given back, instead of being allocated and freed
/// for every resource (a dozen `malloc`s and `free`s of a few KB each, 2% of converting one).
///
/// A thread's spare is only ever used by that thread, so nothing is shared or locked; it is
/// released when the thread ends. A workspace that grew large for a large document is not kept
/// (``give(_:holding:)``), so that what a thread keeps stays small.
package final class PerThreadSpare<Object: AnyObject>: @unchecked Sendable {
    /// A `let`: reading a stored `var` of a class is checked for exclusive access on every use.
    private let key: pthread_key_t

    package init() {
        var key = pthread_key_t()
        #if canImport(Darwin)
            pthread_key_create(&key) { Unmanaged<AnyObject>.fromOpaque($0).release() }
        #else
            pthread_key_create(&key) { spare in
                if let spare { Unmanaged<AnyObject>.fromOpaque(spare).release() }
            }
        #endif
        self.key = key
    }

    /// The calling thread's spare, which it no longer holds; nil when it has none (the first
    /// time, or while the spare is in use further up the same thread's stack).
    @inline(__always) package func take() -> Object? {
        guard let spare = pthread_getspecific(key) else { return nil }
        pthread_setspecific(key, nil)
        return Unmanaged<Object>.fromOpaque(spare).takeRetainedValue()
    }

    /// The most one buffer of a kept spare may hold: a document larger than most resources leaves
    /// the buffers it grew to be freed.
    private static var maxKeptBytes: Int { 256 << 10 }

    /// Keeps `object` as the calling thread's spare, unless the thread already has one or
    /// `bytes`, the size of its largest buffer, is over ``maxKeptBytes``.
    @inline(__always) package func give(_ object: Object, holding bytes: Int = 0) {
        guard bytes <= Self.maxKeptBytes, pthread_getspecific(key) == nil else { return }
        pthread_setspecific(key, Unmanaged.passRetained(object).toOpaque())
    }
}
