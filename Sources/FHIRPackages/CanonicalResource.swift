internal import FHIRJSON

/// A StructureDefinition, ValueSet or CodeSystem known by its canonical URL, with what the
/// index needs to find it by type, and its JSON, parsed when first asked for.
package struct CanonicalResource: Sendable {
    package enum ResourceType: String, Sendable {
        case structureDefinition = "StructureDefinition"
        case valueSet = "ValueSet"
        case codeSystem = "CodeSystem"
    }

    /// Where the JSON is.
    package enum Source: Sendable {
        /// A package file's bytes.
        case bytes([UInt8], file: String)
        /// A definition of the carried base R4 (an item of ``BaseR4``).
        case carried(item: Int)
    }

    package var resourceType: ResourceType
    package var url: String
    package var version: String?
    /// StructureDefinition: the type it defines or constrains.
    package var type: String?
    /// StructureDefinition: its kind (`resource`, `complex-type`, …).
    package var kind: String?
    /// StructureDefinition: `specialization` or `constraint`.
    package var derivation: String?
    package var baseDefinition: String?
    /// StructureDefinition: `abstract`.
    package var isAbstract: Bool
    package var source: Source

    package init(
        resourceType: ResourceType, url: String, version: String?, type: String?, kind: String?, derivation: String?,
        baseDefinition: String?, isAbstract: Bool, source: Source
    ) {
        self.resourceType = resourceType
        self.url = url
        self.version = version
        self.type = type
        self.kind = kind
        self.derivation = derivation
        self.baseDefinition = baseDefinition
        self.isAbstract = isAbstract
        self.source = source
    }

    /// Reads a package file; nil when it is another kind of resource.
    /// - Throws: ``FHIRPackageError`` when it is not JSON, or a definition without a url.
    package init?(bytes: [UInt8], file: String) throws(FHIRPackageError) {
        let tree: JSONTree
        do {
            tree = try JSONTree.parse(bytes)
        } catch {
            throw FHIRPackageError("\(file): not valid JSON: \(error)")
        }
        guard let typeText = tree["resourceType"]?.stringValue, let resourceType = ResourceType(rawValue: typeText)
        else { return nil }
        guard let url = tree["url"]?.stringValue else { throw FHIRPackageError("\(file): \(typeText) has no url") }
        if resourceType == .structureDefinition {
            for field in ["type", "kind"] where tree[field]?.stringValue == nil {
                throw FHIRPackageError("\(file): StructureDefinition \(url) has no \(field)")
            }
        }
        self.init(
            resourceType: resourceType, url: url, version: tree["version"]?.stringValue,
            type: tree["type"]?.stringValue, kind: tree["kind"]?.stringValue,
            derivation: tree["derivation"]?.stringValue, baseDefinition: tree["baseDefinition"]?.stringValue,
            isAbstract: tree["abstract"]?.boolValue ?? false,
            source: .bytes(bytes, file: file))
    }

    /// True for a type's own definition (not a profile, not a logical model).
    package var definesType: Bool {
        resourceType == .structureDefinition && derivation != "constraint" && kind != "logical"
    }
}
