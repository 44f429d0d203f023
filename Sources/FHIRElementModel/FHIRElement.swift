public import FHIRCore

/// One element of a FHIR resource of any R4 type, typed by the StructureDefinitions rather
/// than by generated Swift: the ground that the FHIRPath engine, definition-driven validation
/// and the conversion of every resource type outside the IVIG set stand on.
///
/// The tree mirrors FHIR's logical model, not a wire format:
/// - ``name`` is the element's name in its definition with any choice suffix resolved away
///   (`valueQuantity` is `name == "value"`, `typeName == "Quantity"`); a resource at the root
///   or inside another (`contained`, `Bundle.entry.resource`) is named after the element that
///   holds it (`"contained"`, `"resource"`), or after its type at the root.
/// - ``typeName`` is the FHIR type code from the definition: a primitive (`"decimal"`,
///   `"dateTime"`, `"xhtml"` for a narrative `div`), a complex datatype (`"HumanName"`), a
///   resource (`"Patient"`), or `"BackboneElement"`/`"Element"` for an element defined inline.
/// - ``value`` is a primitive's exact text as written: a decimal keeps its digits, a date its
///   precision, a narrative its XHTML.
/// - ``children`` are in specification order; a repeating element is several consecutive
///   children of the same name. A primitive's `id` and `extension` are its children, as
///   FHIRPath sees them (`Patient.birthDate.extension`).
///
/// Elements are reference types so that navigation (FHIRPath's `parent`, `%resource`) is
/// cheap; a tree is built by one reader and then only read, so it can be shared between threads.
///
/// A parent owns its children; a child's link up to its parent is not counted. When the parent
/// goes, the children it held lose their ``parent`` (it becomes nil, as a weak reference would):
/// hold the root while another thread navigates upwards from elements of the tree.
public final class FHIRElement: @unchecked Sendable {
    /// What kind of type ``typeName`` names.
    public enum Kind: UInt8, Sendable {
        /// A FHIR primitive (`boolean`, `string`, `decimal`, `xhtml`, …): ``value`` holds its text.
        case primitive
        /// A complex datatype (`HumanName`, `Quantity`, `Extension`, …).
        case complex
        /// An element defined inline in its parent's definition (`Patient.contact`).
        case backbone
        /// A resource: the root, or one inside another.
        case resource
    }

    // The stored `var`s are marked `@exclusivity(unchecked)`: they are written only by the one
    // reader building the tree (or by a caller that owns it), and no code here touches one
    // while another access to it is under way. Validation reads them for every element, and
    // Swift's run-time check of exclusive access would be a call on each read.

    /// The element's name, choice suffix resolved (`value`, not `valueQuantity`).
    public let name: String
    /// The FHIR type code (`string`, `Quantity`, `Patient`, `BackboneElement`).
    public let typeName: String
    /// What ``typeName`` is.
    public let kind: Kind
    /// A primitive's exact text; nil for complex elements and for a primitive that carries
    /// only an `id` or extensions.
    @exclusivity(unchecked) public var value: String?
    /// The children in specification order.
    @exclusivity(unchecked) public private(set) var children: [FHIRElement]
    /// The element holding this one; nil at the root.
    public var parent: FHIRElement? { parentLink?.takeUnretainedValue() }
    /// The uncounted link behind ``parent``. Not `weak`: a weak reference moves the whole
    /// element's reference counts to a side table, which makes every retain and release of every
    /// element slower; the parent clears the link in its `deinit` instead, so it never dangles.
    @exclusivity(unchecked) private var parentLink: Unmanaged<FHIRElement>?
    /// The path of this element's definition (`Patient.contact.name`, `HumanName.given`), when
    /// the reader knew it; validation looks the ElementDefinition up by it.
    public let definitionPath: String?
    /// Where the element starts in its input (JSON: the key or value; XML: the start tag).
    @exclusivity(unchecked) public var location: SourceLocation?
    /// True when this element was written as a choice (`value[x]`), so writers add the type
    /// suffix back (`valueQuantity`).
    public let isChoice: Bool
    /// True when this element's definition allows more than one (max `*` or above 1), so its
    /// FHIRPath carries an index (`name[0]`) even when it is the only one.
    @exclusivity(unchecked) public var repeats: Bool

    public init(
        name: String, typeName: String, kind: Kind, value: String? = nil, children: [FHIRElement] = [],
        definitionPath: String? = nil, location: SourceLocation? = nil, isChoice: Bool = false,
        repeats: Bool = false
    ) {
        self.name = name
        self.typeName = typeName
        self.kind = kind
        self.value = value
        self.children = []
        self.definitionPath = definitionPath
        self.location = location
        self.isChoice = isChoice
        self.repeats = repeats
        self.children.reserveCapacity(children.count)
        for child in children { append(child) }
    }

    deinit {
        let this = Unmanaged.passUnretained(self).toOpaque()
        for child in children where child.parentLink?.toOpaque() == this { child.parentLink = nil }
    }

    /// Adds `child` after the existing children and makes this element its parent.
    public func append(_ child: FHIRElement) {
        child.parentLink = Unmanaged.passUnretained(self)
        children.append(child)
    }

    /// Makes room for `count` children, so a reader that knows how many it will append does not
    /// grow the list step by step.
    public func reserveChildren(_ count: Int) {
        children.reserveCapacity(count)
    }

    /// Replaces the children (in the order given) and makes this element their parent.
    public func setChildren(_ newChildren: [FHIRElement]) {
        let this = Unmanaged.passUnretained(self).toOpaque()
        for child in children where child.parentLink?.toOpaque() == this { child.parentLink = nil }
        children = newChildren
        for child in newChildren { child.parentLink = Unmanaged.passUnretained(self) }
    }

    /// The children named `name`, in order (`name` without a choice suffix: `"value"`).
    public func children(named name: String) -> [FHIRElement] {
        children.filter { $0.name == name }
    }

    /// The first child named `name`.
    public func child(named name: String) -> FHIRElement? {
        children.first { $0.name == name }
    }

    /// The name a wire format writes: `valueQuantity` for a choice, else ``name``.
    public var wireName: String {
        guard isChoice, let first = typeName.first else { return name }
        return name + first.uppercased() + typeName.dropFirst()
    }

    /// The nearest resource at or above this element (FHIRPath's `%resource`).
    public var enclosingResource: FHIRElement? {
        var node: FHIRElement? = self
        while let current = node {
            if current.kind == .resource { return current }
            node = current.parent
        }
        return nil
    }

    /// FHIRPath's `%rootResource` for this element: its enclosing resource, or, inside a
    /// contained resource, the resource that contains it. A Bundle entry's resource is its own
    /// root (a Bundle does not contain its entries), so `ref-1` looks in the entry's `contained`.
    public var rootResource: FHIRElement? {
        guard var root = enclosingResource else { return nil }
        while root.name == "contained", let container = root.parent?.enclosingResource { root = container }
        return root
    }

    /// The FHIRPath of this element from its root, as findings report it:
    /// `Patient.name[0].given[1]`, `Bundle.entry[2].resource.ofType(Observation).value.ofType(Quantity)`.
    ///
    /// Computed on demand from the parent chain (positions among same-named siblings).
    public var fhirPath: String {
        var steps: [String] = []
        var node: FHIRElement? = self
        while let current = node {
            guard let parent = current.parent else {
                steps.append(current.typeName)
                break
            }
            var step = current.name
            if parent.isRepeating(current) {
                var index = 0
                for sibling in parent.children {
                    if sibling === current { break }
                    if sibling.name == current.name { index += 1 }
                }
                step += "[\(index)]"
            }
            if current.kind == .resource { step += ".ofType(\(current.typeName))" }
            if current.isChoice { step += ".ofType(\(current.typeName))" }
            steps.append(step)
            node = parent
        }
        return steps.reversed().joined(separator: ".")
    }

    private func isRepeating(_ child: FHIRElement) -> Bool {
        if child.repeats { return true }
        var count = 0
        for sibling in children where sibling.name == child.name {
            count += 1
            if count > 1 { return true }
        }
        return false
    }
}
