internal import CLibXML2

/// libxml2's one-time global setup.
///
/// `xmlInitParser` is not reentrant, and libxml2 asks programs that parse on several threads
/// to call it once up front; a Swift `static let` runs its initializer exactly once, safely.
enum XMLLibrary {
    static let initialized: Void = { xmlInitParser() }()

    /// Call before creating any parser context or reader.
    static func ensureInitialized() { _ = initialized }
}
