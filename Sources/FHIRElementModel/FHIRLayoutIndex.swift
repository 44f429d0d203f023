import FHIRCore

/// The layouts as the element model's readers and writers look them up: for a type or an
/// element defined inline, its members by their name on the wire (`valueQuantity`, `given`),
/// each with its slot in specification order and its type.
///
/// Built once per set of definitions and shared by every reader and writer of a run (threads
/// included); each shape is computed on first use and kept.
public final class FHIRLayoutIndex: @unchecked Sendable {
    /// The definitions it indexes.
    public let layouts: any FHIRTypeLayouts
    private let lock = Lock()
    private var typeShapes: [String: Shape?] = [:]
    private var pathShapes: [String: Shape?] = [:]

    /// Indexes `layouts`.
    public init(_ layouts: any FHIRTypeLayouts) {
        self.layouts = layouts
    }

    /// One member of a shape under one wire name.
    ///
    /// A class, so that readers pass it around with one reference count, and so that what it
    /// holds (``FHIRLayoutIndex/target(of:)``) is looked up in the definitions once per run
    /// rather than once per element read.
    public final class Member: @unchecked Sendable {
        /// The member's position among the shape's elements (specification order).
        public let slot: Int
        /// The name it is written with (`valueQuantity`, `given`).
        public let wireName: String
        /// Its layout.
        public let layout: FHIRElementLayout
        /// The type this wire name stands for (`Quantity` for `valueQuantity`), normalized
        /// (see ``FHIRLayoutIndex/normalizedType(_:)``).
        public let typeName: String
        /// True for `Element.id` and `Extension.url`: written as an XML attribute and as a
        /// plain JSON string (see ``FHIRElementWireForm/isAttribute(_:ownerKind:ownerType:)``).
        public let isAttribute: Bool
        /// What it holds: resolved under the index's lock before the member's shape is handed
        /// out (see ``FHIRLayoutIndex/shape(ofType:)``), read without it afterwards.
        fileprivate var resolvedTarget: Target?

        init(slot: Int, wireName: String, layout: FHIRElementLayout, typeName: String, isAttribute: Bool) {
            self.slot = slot
            self.wireName = wireName
            self.layout = layout
            self.typeName = typeName
            self.isAttribute = isAttribute
        }
    }

    /// What a member holds, from the definitions: a resource, a primitive, or elements of a
    /// shape.
    public struct Target: Sendable {
        /// The shape of its elements (inline children or its type's); nil when the definitions
        /// do not define the type.
        public let shape: Shape?
        /// True when it holds a resource (`contained`, `Bundle.entry.resource`).
        public let holdsResource: Bool
        /// True when it holds a primitive (a value, maybe with an id and extensions).
        public let isPrimitive: Bool
    }

    /// The elements of a type or of an element defined inline, and its members by wire name.
    public final class Shape: @unchecked Sendable {
        /// The type (`Patient`, `HumanName`) or definition path (`Patient.contact`) it is of.
        public let owner: String
        /// The kind of the elements it describes.
        public let kind: FHIRElement.Kind
        /// True for an abstract type (`Resource`, `DomainResource`, `Element`).
        public let isAbstract: Bool
        /// The elements in specification order.
        public let elements: [FHIRElementLayout]
        /// The members by wire name, looked up by its bytes: a reader looks a key up straight
        /// from a document (``member(utf8:)``), comparing it with the few names of its length,
        /// with no String made and no hash computed.
        private let wireNames: WireNameTable

        init(owner: String, kind: FHIRElement.Kind, isAbstract: Bool = false, elements: [FHIRElementLayout]) {
            self.owner = owner
            self.kind = kind
            self.isAbstract = isAbstract
            // A primitive's own value is not a member: readers take it from the value itself.
            let kept = kind == .primitive ? elements.filter { $0.name != "value" } : elements
            self.elements = kept
            var members: [String: Member] = [:]
            for (slot, layout) in kept.enumerated() {
                if layout.isChoice {
                    for type in layout.types {
                        let normalized = FHIRLayoutIndex.normalizedType(type)
                        let wireName = FHIRLayoutIndex.choiceName(layout.name, normalized)
                        members[wireName] = Member(
                            slot: slot, wireName: wireName, layout: layout, typeName: normalized, isAttribute: false)
                    }
                } else {
                    var type = layout.types.first.map(FHIRLayoutIndex.normalizedType) ?? "Element"
                    // R4's snapshots type a resource's `id` as a plain string (a quirk of their
                    // generation); the specification gives it the type `id`, whose syntax
                    // (`[A-Za-z0-9\-\.]{1,64}`) the readers check, as the HL7 validator does.
                    if kind == .resource && layout.name == "id" { type = "id" }
                    let isAttribute = FHIRElementWireForm.isAttribute(layout.name, ownerKind: kind, ownerType: owner)
                    members[layout.name] = Member(
                        slot: slot, wireName: layout.name, layout: layout, typeName: type, isAttribute: isAttribute)
                }
            }
            wireNames = WireNameTable(members)
        }

        /// The member a wire name stands for (`valueQuantity`, `name`), or nil.
        public func member(_ wireName: String) -> Member? {
            var wireName = wireName
            return wireName.withUTF8 { wireNames.member($0) }
        }

        /// The member the wire name in `utf8` (its bytes, unescaped) stands for, or nil.
        public func member(utf8 name: UnsafeBufferPointer<UInt8>) -> Member? { wireNames.member(name) }

        fileprivate var allMembers: [Member] { wireNames.members }

        /// The slot of the element named `name` (choice suffix resolved), or nil.
        public func slot(ofName name: String) -> Int? {
            elements.firstIndex { $0.name == name }
        }
    }

    /// The shape of a type by its code (`Patient`, `HumanName`, `string`), or nil when the
    /// definitions do not define it.
    ///
    /// A shape is handed out with the targets of its members resolved (and those of every shape
    /// they lead to), so that readers, on every thread, find what a member holds without taking
    /// the lock (``target(of:)``): a reader reads every element through it.
    public func shape(ofType typeName: String) -> Shape? {
        lock.withLock { lockedShape(ofType: typeName) }
    }

    /// The shape of an element defined inline, by the path of its definition (`Patient.contact`).
    public func shape(ofPath path: String) -> Shape? {
        lock.withLock { lockedShape(ofPath: path) }
    }

    /// The shape of what `member` holds: its inline children, or its type's elements.
    public func shape(of member: Member) -> Shape? {
        if let path = member.layout.childrenPath { return shape(ofPath: path) }
        return shape(ofType: member.typeName)
    }

    /// What `member` holds: whether a resource or a primitive, and the shape of its elements.
    /// Resolved before the member's shape was handed out, so reading an element costs no lookup.
    public func target(of member: Member) -> Target {
        if let resolved = member.resolvedTarget { return resolved }
        return lock.withLock { lockedTarget(of: member) }  // a member of a shape built elsewhere
    }

    // MARK: Under the lock

    private func lockedShape(ofType typeName: String) -> Shape? {
        if let cached = typeShapes[typeName] { return cached }
        let shape = layouts.layout(ofType: typeName).map {
            Shape(owner: typeName, kind: $0.kind, isAbstract: $0.isAbstract, elements: $0.elements)
        }
        typeShapes[typeName] = .some(shape)  // before resolving: the types refer to each other
        if let shape { resolveTargets(of: shape) }
        return shape
    }

    private func lockedShape(ofPath path: String) -> Shape? {
        if let cached = pathShapes[path] { return cached }
        let shape = layouts.children(ofPath: path).map { Shape(owner: path, kind: .backbone, elements: $0) }
        pathShapes[path] = .some(shape)
        if let shape { resolveTargets(of: shape) }
        return shape
    }

    private func resolveTargets(of shape: Shape) {
        for member in shape.allMembers where member.resolvedTarget == nil { _ = lockedTarget(of: member) }
    }

    private func lockedTarget(of member: Member) -> Target {
        if let resolved = member.resolvedTarget { return resolved }
        let path = member.layout.childrenPath
        let inline = path != nil
        let shape = path.map(lockedShape(ofPath:)) ?? lockedShape(ofType: member.typeName)
        let holdsResource = !inline && Self.isResourceSlot(member.typeName, shape: shape)
        let target = Target(
            shape: shape, holdsResource: holdsResource, isPrimitive: !inline && shape?.kind == .primitive)
        member.resolvedTarget = target
        return target
    }

    /// The layout of a resource type that may stand on its own (not abstract), or nil.
    public func resourceShape(_ typeName: String) -> Shape? {
        guard let shape = shape(ofType: typeName), shape.kind == .resource, !shape.isAbstract else { return nil }
        return shape
    }

    /// A type code as the element model names it: FHIRPath's system types (which the R4
    /// definitions give `Element.id`, `Extension.url` and a primitive's value) become the FHIR
    /// primitive they stand for (`http://hl7.org/fhirpath/System.String` → `string`).
    public static func normalizedType(_ code: String) -> String {
        let prefix = "http://hl7.org/fhirpath/System."
        guard code.hasPrefix(prefix) else { return code }
        switch code.dropFirst(prefix.count) {
        case "Boolean": return "boolean"
        case "Integer": return "integer"
        case "Decimal": return "decimal"
        case "Date": return "date"
        case "DateTime": return "dateTime"
        case "Time": return "time"
        default: return "string"
        }
    }

    /// The wire name of a choice element of a type: `value` + `Quantity` → `valueQuantity`.
    public static func choiceName(_ name: String, _ typeName: String) -> String {
        guard let first = typeName.first else { return name }
        return name + first.uppercased() + typeName.dropFirst()
    }

    /// Whether `typeName` names a resource slot (`Resource`, or a resource type, in
    /// `contained`, `Bundle.entry.resource`, `Parameters.parameter.resource`).
    public func isResourceSlot(_ typeName: String) -> Bool {
        Self.isResourceSlot(typeName, shape: shape(ofType: typeName))
    }

    /// ``isResourceSlot(_:)`` given the type's shape.
    private static func isResourceSlot(_ typeName: String, shape: Shape?) -> Bool {
        typeName == "Resource" || typeName == "DomainResource" || shape?.kind == .resource
    }
}

/// FHIR's rules for the text of a primitive, the same the typed models apply.
public enum FHIRPrimitiveSyntax {
    /// How a primitive is written in JSON.
    public enum JSONForm: Sendable {
        /// `true` or `false`.
        case boolean
        /// A number with no fraction or exponent.
        case integer
        /// Any JSON number (its lexeme kept).
        case decimal
        /// A string.
        case string
    }

    /// The JSON form of a primitive type.
    public static func jsonForm(of typeName: String) -> JSONForm {
        switch typeName {
        case "boolean": .boolean
        case "integer", "positiveInt", "unsignedInt", "integer64": .integer
        case "decimal": .decimal
        default: .string
        }
    }

    /// What is wrong with `text` as a value of `typeName`, or nil when it is valid.
    public static func problem(_ text: String, ofType typeName: String) -> String? {
        // Most primitives are strings, codes and URIs, which have no syntax checked here: their
        // first letter lets them pass without comparing the name with each type below.
        switch typeName.utf8.first {
        case UInt8(ascii: "b"), UInt8(ascii: "i"), UInt8(ascii: "p"), UInt8(ascii: "u"), UInt8(ascii: "d"),
            UInt8(ascii: "t"):
            break
        default:
            return nil
        }
        let valid: Bool
        let expected: String
        switch typeName {
        case "boolean":
            (valid, expected) = (text == "true" || text == "false", "true or false")
        case "integer":
            (valid, expected) = (isInteger(text, minimum: Int64(Int32.min)), "an integer (32-bit, no fraction)")
        case "positiveInt":
            (valid, expected) = (isInteger(text, minimum: 1), "an integer of 1 or more")
        case "unsignedInt":
            (valid, expected) = (isInteger(text, minimum: 0), "an integer of 0 or more")
        case "decimal":
            (valid, expected) = (FHIRDecimal.isValid(text), "a number such as 2, 0.4 or 1.0e-3")
        case "date":
            (valid, expected) = (FHIRDate.parse(text) != nil, FHIRDate.expectedFormat)
        case "dateTime":
            (valid, expected) = (FHIRDateTime.parse(text) != nil, FHIRDateTime.expectedFormat)
        case "instant":
            (valid, expected) = (FHIRInstant.parse(text) != nil, FHIRInstant.expectedFormat)
        case "time":
            (valid, expected) = (FHIRTime.parse(text) != nil, FHIRTime.expectedFormat)
        case "id":
            let isIDCharacter: (UInt8) -> Bool = { byte in
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."):
                    true
                default: false
                }
            }
            (valid, expected) = (
                (1...64).contains(text.utf8.count) && text.utf8.allSatisfy(isIDCharacter),
                "1 to 64 letters, digits, '-' or '.'"
            )
        default:
            return nil
        }
        return valid ? nil : "'\(text)' is not a valid FHIR \(typeName): expected \(expected)"
    }

    /// `-?[0-9]+` without leading zeros, within 32 bits and at least `minimum`.
    private static func isInteger(_ text: String, minimum: Int64) -> Bool {
        var digits = Substring(text)
        if digits.first == "-" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            digits.count == 1 || digits.first != "0", let value = Int64(text)
        else { return false }
        return value >= minimum && value <= Int64(Int32.max)
    }
}

/// A shape's members by the bytes of their wire names, grouped by length; within a length each
/// name is first compared on its first eight bytes, read as one number.
private struct WireNameTable {
    private struct Entry {
        let prefix: UInt64
        let start: Int
        let member: FHIRLayoutIndex.Member
    }
    /// Every wire name's bytes, one after another.
    private let bytes: [UInt8]
    /// The entries, sorted by the length of their name.
    private let entries: [Entry]
    /// For each name length, the range of ``entries`` with names of that length.
    private let rangesByLength: [Swift.Range<Int>]

    init(_ members: [String: FHIRLayoutIndex.Member]) {
        var bytes: [UInt8] = []
        var entries: [(length: Int, entry: Entry)] = []
        for (name, member) in members.sorted(by: { $0.key < $1.key }) {
            let start = bytes.count
            bytes += name.utf8
            let prefix = bytes.withUnsafeBufferPointer { Self.prefix(UnsafeBufferPointer(rebasing: $0[start...])) }
            entries.append((name.utf8.count, Entry(prefix: prefix, start: start, member: member)))
        }
        entries.sort { $0.length < $1.length }
        var ranges = [Swift.Range<Int>](repeating: 0..<0, count: (entries.last?.length ?? 0) + 1)
        for (index, item) in entries.enumerated() {
            let range = ranges[item.length]
            ranges[item.length] = range.isEmpty ? index..<(index + 1) : range.lowerBound..<(index + 1)
        }
        self.bytes = bytes
        self.entries = entries.map(\.entry)
        rangesByLength = ranges
    }

    /// Every member, in no particular order.
    var members: [FHIRLayoutIndex.Member] { entries.map(\.member) }

    /// The first eight bytes of `name` (fewer when shorter) as one number.
    private static func prefix(_ name: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var prefix: UInt64 = 0
        for index in 0..<min(8, name.count) { prefix |= UInt64(name[index]) << (8 * UInt64(index)) }
        return prefix
    }

    func member(_ name: UnsafeBufferPointer<UInt8>) -> FHIRLayoutIndex.Member? {
        guard name.count < rangesByLength.count else { return nil }
        let range = rangesByLength[name.count]
        guard !range.isEmpty else { return nil }
        let prefix = Self.prefix(name)
        return bytes.withUnsafeBufferPointer { all in
            entries.withUnsafeBufferPointer { entries in
                for index in range where entries[index].prefix == prefix {
                    let start = entries[index].start
                    var offset = 8
                    while offset < name.count, all[start + offset] == name[offset] { offset += 1 }
                    if offset >= name.count { return entries[index].member }
                }
                return nil
            }
        }
    }
}
