import FHIRCore
import FHIRPackages

/// A StructureDefinition ready for validation: the definition and its snapshot as a tree.
final class CompiledStructure: @unchecked Sendable {
    let definition: StructureDefinition
    let root: ElementRule
    /// Rules by element id, for `contentReference` (`#Questionnaire.item`).
    private let byID: [String: ElementRule]
    /// Every rule of the tree (slices and what is below them included).
    private let rules: [ElementRule]

    init?(_ definition: StructureDefinition) {
        guard let root = ElementRule.tree(of: definition) else { return nil }
        self.definition = definition
        self.root = root
        var byID: [String: ElementRule] = [:]
        var rules: [ElementRule] = []
        var queue = [root]
        while let rule = queue.popLast() {
            rules.append(rule)
            byID[rule.definition.id] = byID[rule.definition.id] ?? rule
            queue += rule.children
            queue += rule.slices
        }
        self.byID = byID
        self.rules = rules
    }

    /// The rule a `contentReference` names (`#Questionnaire.item`, or a full URL with `#id`).
    func rule(referencedBy reference: String) -> ElementRule? {
        guard let hash = reference.lastIndex(of: "#") else { return nil }
        return byID[String(reference[reference.index(after: hash)...])]
    }

    /// Works out, once, what the walk would otherwise look up on every element (see
    /// ``ElementRule/link(datatypes:book:)``). Called before the structure is shared.
    fileprivate func link(datatypes: [String: CompiledStructure], book: RuleBook) {
        for rule in rules { rule.link(datatypes: datatypes, book: book) }
    }
}

/// The compiled StructureDefinitions of a validator, by canonical URL and by type, shared by
/// every thread.
///
/// The datatypes (`Quantity`, `string`, `Extension`) are compiled when the book is made, and
/// every structure is linked to them before it is shared: the walk asks for an element's type
/// on every element, and finds it on the element's rule without a lock or a lookup. Resources,
/// profiles and extensions are compiled on first use.
final class RuleBook: @unchecked Sendable {
    let definitions: FHIRPackages.FHIRDefinitions
    /// Every datatype and primitive type, by name (immutable once made).
    private let datatypes: [String: CompiledStructure]
    private let lock = Lock()
    private var byURL: [String: CompiledStructure?] = [:]
    private var byType: [String: CompiledStructure?] = [:]

    init(definitions: FHIRPackages.FHIRDefinitions) {
        self.definitions = definitions
        var datatypes: [String: CompiledStructure] = [:]
        for name in definitions.typeNames where definitions.isDatatype(name) {
            datatypes[name] = definitions.structureDefinition(ofType: name).flatMap(CompiledStructure.init)
        }
        self.datatypes = datatypes
        // Linked to each other only once all are compiled (an Extension has extensions).
        for structure in datatypes.values { structure.link(datatypes: datatypes, book: self) }
    }

    /// The definition of a type (`Patient`, `Quantity`, `string`).
    func type(_ name: String) -> CompiledStructure? {
        if let datatype = datatypes[name] { return datatype }
        if let cached = lock.withLock({ byType[name] }) { return cached }
        let compiled = compile(definitions.structureDefinition(ofType: name))
        lock.withLock { byType[name] = compiled }
        return compiled
    }

    /// The StructureDefinition with a canonical URL (a profile, an extension, a type).
    func structure(url: String) -> CompiledStructure? {
        if let cached = lock.withLock({ byURL[url] }) { return cached }
        let compiled = compile(definitions.structureDefinition(url: url))
        lock.withLock { byURL[url] = compiled }
        return compiled
    }

    private func compile(_ definition: StructureDefinition?) -> CompiledStructure? {
        guard let compiled = definition.flatMap(CompiledStructure.init) else { return nil }
        compiled.link(datatypes: datatypes, book: self)
        return compiled
    }

    /// Whether a canonical URL names a profile (not a type's own definition): a constraint a
    /// profile adds is evaluated on its pass, one a type defines on the type's pass.
    func isProfile(_ url: String) -> Bool {
        definitions.structureDefinition(url: url).map { $0.isProfile && !$0.elements.isEmpty } ?? false
    }

    /// The type a canonical URL of a type or profile is about (`Practitioner` for
    /// `http://hl7.org/fhir/us/core/StructureDefinition/us-core-practitioner`).
    func typeName(ofCanonical url: String) -> String {
        if let definition = definitions.structureDefinition(url: url), !definition.elements.isEmpty {
            return definition.type
        }
        let tail = url.split(separator: "/").last.map(String.init) ?? url
        return tail.split(separator: "|").first.map(String.init) ?? tail
    }
}
