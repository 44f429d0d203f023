import FHIRCore
import FHIRPackages

/// A StructureDefinition ready for validation: the definition and its snapshot as a tree.
final class CompiledStructure: @unchecked Sendable {
    let definition: StructureDefinition
    let root: ElementRule
    /// Rules by element id, for `contentReference` (`#Questionnaire.item`).
    private let byID: [String: ElementRule]

    init?(_ definition: StructureDefinition) {
        guard let root = ElementRule.tree(of: definition) else { return nil }
        self.definition = definition
        self.root = root
        var byID: [String: ElementRule] = [:]
        var queue = [root]
        while let rule = queue.popLast() {
            byID[rule.definition.id] = byID[rule.definition.id] ?? rule
            queue += rule.children
            queue += rule.slices
        }
        self.byID = byID
    }

    /// The rule a `contentReference` names (`#Questionnaire.item`, or a full URL with `#id`).
    func rule(referencedBy reference: String) -> ElementRule? {
        guard let hash = reference.lastIndex(of: "#") else { return nil }
        return byID[String(reference[reference.index(after: hash)...])]
    }
}

/// The compiled StructureDefinitions of a validator, by canonical URL and by type, built on
/// first use and shared by every thread.
final class RuleBook: @unchecked Sendable {
    let definitions: FHIRPackages.FHIRDefinitions
    private let lock = Lock()
    private var byURL: [String: CompiledStructure?] = [:]
    private var byType: [String: CompiledStructure?] = [:]

    init(definitions: FHIRPackages.FHIRDefinitions) { self.definitions = definitions }

    /// The definition of a type (`Patient`, `Quantity`, `string`).
    func type(_ name: String) -> CompiledStructure? {
        if let cached = lock.withLock({ byType[name] }) { return cached }
        let compiled = definitions.structureDefinition(ofType: name).flatMap(CompiledStructure.init)
        lock.withLock { byType[name] = compiled }
        return compiled
    }

    /// The StructureDefinition with a canonical URL (a profile, an extension, a type).
    func structure(url: String) -> CompiledStructure? {
        if let cached = lock.withLock({ byURL[url] }) { return cached }
        let compiled = definitions.structureDefinition(url: url).flatMap(CompiledStructure.init)
        lock.withLock { byURL[url] = compiled }
        return compiled
    }

    /// Whether a canonical URL names a profile (not a type's own definition): a constraint a
    /// profile adds is evaluated on its pass, one a type defines on the type's pass.
    func isProfile(_ url: String) -> Bool {
        structure(url: url)?.definition.isProfile ?? false
    }

    /// The type a canonical URL of a type or profile is about (`Practitioner` for
    /// `http://hl7.org/fhir/us/core/StructureDefinition/us-core-practitioner`).
    func typeName(ofCanonical url: String) -> String {
        if let type = structure(url: url)?.definition.type { return type }
        let tail = url.split(separator: "/").last.map(String.init) ?? url
        return tail.split(separator: "|").first.map(String.init) ?? tail
    }
}
