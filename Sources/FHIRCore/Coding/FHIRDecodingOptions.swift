/// How strictly a FHIR decoder treats what the models do not know.
///
/// Passed to the models through `Decoder.userInfo[.fhirDecodingOptions]`; the FHIR JSON and XML
/// decoders set it. A decoder that does not set it gets strict behaviour.
public struct FHIRDecodingOptions: Sendable {
    /// Whether an element the model does not know is an error (`strict`) or a warning (`lenient`).
    public enum UnknownElements: Sendable {
        /// An unknown element is an error that names it. The default.
        case strict
        /// An unknown element is dropped and reported as a warning naming it.
        case lenient
    }

    /// What to do with unknown elements.
    public var unknownElements: UnknownElements

    /// Receives the warnings of a lenient decode.
    public let warnings: FHIRWarningSink

    public init(unknownElements: UnknownElements = .strict, warnings: FHIRWarningSink = FHIRWarningSink()) {
        self.unknownElements = unknownElements
        self.warnings = warnings
    }
}

extension CodingUserInfoKey {
    /// The ``FHIRDecodingOptions`` of a decode.
    public static let fhirDecodingOptions = CodingUserInfoKey(rawValue: "fhir.decodingOptions")!
}

/// Collects what a lenient decode dropped: the coding path of each element and its name.
///
/// One sink belongs to one decode, which runs on one thread; the lock only makes the type
/// `Sendable` so it can travel in the options.
public final class FHIRWarningSink: @unchecked Sendable {
    /// An element that was dropped because the model does not know it.
    public struct DroppedElement: Sendable {
        /// The coding path of the object that held it.
        public var codingPath: [any CodingKey]
        /// The element's name as it appeared.
        public var name: String
    }

    private let lock = Lock()
    private var dropped: [DroppedElement] = []

    public init() {}

    /// Records a dropped element.
    public func drop(_ name: String, at codingPath: [any CodingKey]) {
        lock.withLock { dropped.append(DroppedElement(codingPath: codingPath, name: name)) }
    }

    /// Everything dropped so far, in the order it was met.
    public var droppedElements: [DroppedElement] { lock.withLock { dropped } }
}
