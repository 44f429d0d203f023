/// Heap storage for a single complex element, shared until written (copy on write).
///
/// FHIR's datatypes refer to each other in cycles (`Reference.identifier` is an `Identifier`,
/// whose `assigner` is a `Reference`), which value types can only hold through indirection;
/// boxing every single-valued complex element also keeps the resources small to copy.
public struct Box<Wrapped: Hashable & Sendable>: Hashable, Sendable {
    private final class Storage: Sendable {
        let value: Wrapped
        init(_ value: Wrapped) { self.value = value }
    }

    private var storage: Storage

    /// Boxes a value.
    public init(_ value: Wrapped) { storage = Storage(value) }

    /// The boxed value; setting it replaces the storage, so other copies keep their value.
    public var value: Wrapped {
        get { storage.value }
        set { storage = Storage(newValue) }
    }

    /// The boxed value, lent without a copy (the fast writers read it in place).
    package var borrowedValue: Wrapped {
        _read { yield storage.value }
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.storage === rhs.storage || lhs.storage.value == rhs.storage.value
    }

    public func hash(into hasher: inout Hasher) { storage.value.hash(into: &hasher) }
}
