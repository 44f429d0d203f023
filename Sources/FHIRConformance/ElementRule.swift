import FHIRPackages
import FHIRPath

/// One element of a StructureDefinition's snapshot, placed in a tree: its children (the
/// elements one step below its path) and, for an element that is sliced, its slices with the
/// elements below each slice. Validation walks a resource and this tree side by side.
///
/// Built once per StructureDefinition and shared by every thread (``RuleBook``).
final class ElementRule: @unchecked Sendable {
    // The stored `var`s are set while the rule book builds and links the tree, on one thread,
    // and only read once it is shared; they are marked `@exclusivity(unchecked)` so that the
    // walk's reads of them (for every element of every resource) are not each checked at run
    // time for an access under way.

    /// The snapshot element.
    let definition: ElementDefinition
    /// The element's name, choice suffix dropped (`value` for `Observation.value[x]`).
    let name: String
    /// The elements one step below, in snapshot order (slices are in ``slices``, not here).
    @exclusivity(unchecked) private(set) var children: [ElementRule] = []
    /// The names of ``children``, in their order: what the walk matches an element's children
    /// against.
    @exclusivity(unchecked) private(set) var childNames: [String] = []
    /// Whether no two of ``children`` have the same name (as in every valid snapshot); set
    /// when the tree is built, before it is shared.
    @exclusivity(unchecked) private(set) var childNamesAreUnique = true
    /// For a sliced element: its slices, in snapshot order.
    @exclusivity(unchecked) private(set) var slices: [ElementRule] = []
    /// The FHIR type codes the element allows (`Quantity`, `string`, `Reference`).
    let typeNames: [String]
    /// The element's invariants, each with its expression parsed once (or why it cannot be).
    let invariants: [CompiledInvariant]

    // What the walk would otherwise look up on every element, worked out by ``link(datatypes:book:)``
    // before the rule is shared.

    /// Each datatype the element allows, with its definition and the invariants of the type's
    /// root this rule does not state itself (ele-1 is on both).
    @exclusivity(unchecked) private(set) var typeLinks: [TypeLink] = []
    /// The types a Reference here may point to (from its `targetProfile`s); empty when not a
    /// Reference or not restricted.
    @exclusivity(unchecked) private(set) var referenceTargetTypes: [String] = []
    /// The positions in ``children`` of the rules with a minimum: checked on every element,
    /// while the other rules are checked only on elements with children of their name.
    @exclusivity(unchecked) private(set) var requiredChildOffsets: [Int] = []
    /// Whether some child rule has a minimum (an element without children needs no walk below
    /// it otherwise).
    var hasRequiredChild: Bool { !requiredChildOffsets.isEmpty }
    /// For a sliced element: the path of each of its slicing's discriminators, parsed.
    @exclusivity(unchecked) private(set) var discriminatorPaths: [DiscriminatorPath] = []
    /// For a slice: what it says at each discriminator path of the element it slices (the rule
    /// below it there with a fixed value or pattern, or the first one; itself for `$this`).
    @exclusivity(unchecked) private(set) var discriminatorTargets: [ElementRule?] = []

    /// A discriminator's path.
    enum DiscriminatorPath {
        case this
        case expression(FHIRPathExpression)
        /// A path the FHIRPath engine does not read: it selects nothing.
        case unreadable
    }

    struct TypeLink {
        let name: String
        let structure: CompiledStructure
        let invariants: [CompiledInvariant]
    }

    init(_ definition: ElementDefinition) {
        self.definition = definition
        var name = definition.path[
            (definition.path.lastIndex(of: ".").map { definition.path.index(after: $0) }
                ?? definition.path.startIndex)...]
        if name.hasSuffix("[x]") { name = name.dropLast(3) }
        self.name = String(name)
        typeNames = definition.types.map(Self.typeName(of:))
        invariants = definition.constraints.compactMap(CompiledInvariant.init)
    }

    /// The child rule named `name` that is no slice.
    func child(named name: String) -> ElementRule? { children.first { $0.name == name } }

    /// The link to a datatype this element allows, by the type's name.
    func typeLink(_ typeName: String) -> TypeLink? {
        for link in typeLinks where link.name == typeName { return link }
        return nil
    }

    /// Works out the rule's ``typeLinks``, ``referenceTargetTypes`` and ``requiredChildOffsets``,
    /// and whether each invariant applies on profile passes.
    func link(datatypes: [String: CompiledStructure], book: RuleBook) {
        let own = Set(invariants.map(\.key))
        typeLinks = typeNames.compactMap { name in
            guard let structure = datatypes[name] else { return nil }
            return TypeLink(
                name: name, structure: structure, invariants: structure.root.invariants.filter { !own.contains($0.key) }
            )
        }
        referenceTargetTypes = definition.types.filter { $0.code == "Reference" }.flatMap(\.targetProfiles)
            .map(book.typeName(ofCanonical:))
        requiredChildOffsets = children.indices.filter { children[$0].definition.min > 0 }
        if let discriminators = definition.slicing?.discriminators, !slices.isEmpty {
            discriminatorPaths = discriminators.map { discriminator in
                if discriminator.path == "$this" { return .this }
                return (try? FHIRPathExpression.parse(discriminator.path)).map { .expression($0) } ?? .unreadable
            }
            for slice in slices { slice.discriminatorTargets = discriminators.map { slice.target(atPath: $0.path) } }
        }
        for invariant in invariants {
            invariant.appliesOnProfilePasses = invariant.source.map(book.isProfile) ?? true
        }
    }

    /// The FHIR type name of a type reference; FHIRPath system types (`Resource.id`,
    /// `Extension.url`, a primitive's value) map to their FHIR primitive.
    static func typeName(of type: ElementDefinition.TypeReference) -> String {
        if let fhirType = type.fhirType { return fhirType }
        let systemPrefix = "http://hl7.org/fhirpath/System."
        guard type.code.hasPrefix(systemPrefix) else { return type.code }
        let name = type.code.dropFirst(systemPrefix.count)
        return name == "DateTime" ? "dateTime" : name.lowercased()
    }

    /// What this slice says at a discriminator's path: the rule there (slices followed) with a
    /// fixed value or pattern, or the first one; for an extension's `url`, the extension the
    /// slice is typed with is read by the matcher itself.
    private func target(atPath path: String) -> ElementRule? {
        if path == "$this" { return self }
        let names = path.split(separator: ".").filter { !$0.hasPrefix("resolve(") }
        let candidates = descendantsThroughSlices(names)
        return candidates.first { $0.definition.fixed != nil || $0.definition.pattern != nil } ?? candidates.first
    }

    /// The rules below this one at a relative path of element names, following slices too
    /// (a discriminator `code.coding.code` finds its fixed value in the slice of `coding`).
    func descendantsThroughSlices(_ names: [Substring]) -> [ElementRule] {
        var rules = [self]
        for name in names {
            rules = rules.flatMap { rule -> [ElementRule] in
                guard let next = rule.child(named: String(name)) else { return [] }
                return [next] + next.slices
            }
        }
        return rules
    }

    /// The tree of a StructureDefinition's snapshot, rooted at its first element.
    ///
    /// The snapshot lists elements depth first, and a slice (an element with `sliceName`)
    /// follows the element it slices, with the elements below the slice after it; so one pass
    /// with a stack of open elements places each element under its parent or as a slice of
    /// the unsliced element with the same path.
    static func tree(of structure: StructureDefinition) -> ElementRule? {
        guard let first = structure.elements.first else { return nil }
        let root = ElementRule(first)
        var stack = [root]
        for element in structure.elements.dropFirst() {
            guard let dot = element.path.lastIndex(of: ".") else { continue }
            let parentPath = element.path[..<dot]
            while stack.count > 1, stack[stack.count - 1].definition.path != parentPath { stack.removeLast() }
            let parent = stack[stack.count - 1]
            guard parent.definition.path == parentPath else { continue }
            let rule = ElementRule(element)
            if let sliceName = element.sliceName {
                // A reslice (`a/b`) slices the slice `a`.
                var base = parent.children.last { $0.definition.path == element.path }
                if let slash = sliceName.lastIndex(of: "/") {
                    let outer = sliceName[..<slash]
                    base = base?.slices.first { $0.definition.sliceName.map { $0[...] } == outer } ?? base
                }
                guard let base else { continue }
                base.slices.append(rule)
            } else {
                parent.children.append(rule)
            }
            stack.append(rule)
        }
        var pending = [root]
        while let rule = pending.popLast() {
            rule.childNames = rule.children.map(\.name)
            rule.childNamesAreUnique = Set(rule.childNames).count == rule.childNames.count
            pending += rule.children
            pending += rule.slices
        }
        return root
    }
}

/// A constraint with its FHIRPath expression parsed, once per StructureDefinition. A class:
/// the walk goes over every element's invariants, and a reference is cheaper to pass than
/// the constraint's texts.
final class CompiledInvariant: @unchecked Sendable {
    let constraint: ElementDefinition.Constraint
    /// The parsed expression, or the parser's message.
    let expression: Result<FHIRPathExpression, FHIRPathError>
    /// What the walk asks of every invariant on every element, kept outside ``constraint``
    /// so that asking copies nothing.
    let key: String
    let isError: Bool
    let isBestPractice: Bool
    /// The canonical URL of the StructureDefinition that states the constraint.
    let source: String?
    /// Whether a profile's pass evaluates it: a constraint a profile states (or one without a
    /// source); a base type's constraint is evaluated on the base pass only. Set when the rule
    /// is linked, before it is shared.
    @exclusivity(unchecked) fileprivate(set) var appliesOnProfilePasses = true

    init?(_ constraint: ElementDefinition.Constraint) {
        guard let text = constraint.expression else { return nil }
        self.constraint = constraint
        key = constraint.key
        isError = constraint.severity == .error
        isBestPractice = constraint.isBestPractice
        source = constraint.source
        do {
            expression = .success(try FHIRPathExpression.parse(text))
        } catch {
            expression = .failure(error)
        }
    }
}
