internal import FHIRCore
public import FHIRElementModel
internal import FHIRJSON

/// The FHIR definitions a run works with: base R4, carried in the tool, plus any packages
/// loaded (`--package`): StructureDefinitions, ValueSets and CodeSystems by canonical URL,
/// type definitions by type name, the type hierarchy, and each type's layout for the element
/// model (`FHIRTypeLayouts`).
///
/// Building one reads only an index; a definition is parsed on first use and kept, so a run
/// that touches three types parses three definitions. One value is shared by every thread of
/// a batch: lookups are safe from any thread.
public final class FHIRDefinitions: FHIRTypeLayouts, @unchecked Sendable {
    /// Base R4 alone (hl7.fhir.r4.core 4.0.1), built once per process.
    public static let baseR4 = FHIRDefinitions(baseWith: [], manifests: [])

    /// The packages in use: base R4 first, then those loaded, in order.
    public let packages: [PackageManifest]

    private let resources: [CanonicalResource]
    /// Canonical URL → indices into `resources`, in load order (the last one wins).
    private let byURL: [String: [Int]]
    /// Type name → the index of the StructureDefinition that defines it (not a profile).
    private let typeDefinitions: [String: Int]
    /// Type name → its base types, nearest first: validation asks for every element whose type
    /// is not the one its definition names (an `id` where `string` is allowed). Set in `init`.
    private var baseChains: [String: [String]] = [:]

    let lock = Lock()
    private var parsedStructures: [Int: StructureDefinition] = [:]
    private var typeEntries: [String: TypeEntry?] = [:]
    /// ValueSet expansions by the URL asked for (see `ValueSetExpander`).
    var expansions: [String: ValueSetExpansion] = [:]

    /// Base R4 plus `packages`, whose dependencies must be base R4 or among `packages`.
    /// - Throws: ``FHIRPackageError`` naming a dependency that is missing, and who needs it.
    public convenience init(packages: [FHIRPackage]) throws(FHIRPackageError) {
        for package in packages {
            for dependency in package.manifest.dependencies where !Self.isSatisfied(dependency, by: packages) {
                throw FHIRPackageError(
                    "package \(package.manifest.reference) (\(package.origin)) needs \(dependency), which is not "
                        + "loaded: give it with --package PATH|name#version, or put it in the package cache")
            }
        }
        self.init(baseWith: packages.flatMap(\.resources), manifests: packages.map(\.manifest))
    }

    private init(baseWith extra: [CanonicalResource], manifests: [PackageManifest]) {
        packages = [BaseR4.manifest] + manifests
        resources = BaseR4.resources + extra
        var byURL: [String: [Int]] = [:]
        byURL.reserveCapacity(resources.count)
        var typeDefinitions: [String: Int] = [:]
        for (index, resource) in resources.enumerated() {
            byURL[resource.url, default: []].append(index)
            if resource.definesType, let type = resource.type { typeDefinitions[type] = index }
        }
        self.byURL = byURL
        self.typeDefinitions = typeDefinitions
        var chains: [String: [String]] = [:]
        for typeName in typeDefinitions.keys { chains[typeName] = chain(above: typeName) }
        baseChains = chains
    }

    /// True when `dependency` is base R4 (carried) or one of `packages` (version `x`
    /// wildcards allowed).
    static func isSatisfied(_ dependency: PackageManifest.Dependency, by packages: [FHIRPackage]) -> Bool {
        if BaseR4.aliases.contains(dependency.name),
            PackageVersion.matches(BaseR4.manifest.version, pattern: dependency.version)
        {
            return true
        }
        return packages.contains {
            $0.manifest.name == dependency.name
                && PackageVersion.matches($0.manifest.version, pattern: dependency.version)
        }
    }

    // MARK: Lookups

    /// The StructureDefinition with this canonical URL (`url` or `url|version`).
    public func structureDefinition(url: String) -> StructureDefinition? {
        index(of: url, as: .structureDefinition).flatMap(structure(at:))
    }

    /// The StructureDefinition that defines a type (`Patient`, `HumanName`, `string`), not a
    /// profile of it.
    public func structureDefinition(ofType typeName: String) -> StructureDefinition? {
        typeDefinitions[typeName].flatMap(structure(at:))
    }

    /// The ElementDefinition at a definition path of a type's own definition
    /// (`Patient.contact.name`, `HumanName.given`, `Observation.value[x]`): what validation
    /// looks up for an element by its `FHIRElement.definitionPath`.
    public func elementDefinition(atPath path: String) -> ElementDefinition? {
        let typeName = path.firstIndex(of: ".").map { String(path[..<$0]) } ?? path
        return structureDefinition(ofType: typeName)?.elements.first { $0.path == path && $0.sliceName == nil }
    }

    /// Every type name defined (resources, datatypes, primitives, abstract ones included).
    public var typeNames: [String] { typeDefinitions.keys.sorted() }

    /// Whether a type of this name is defined (without reading its StructureDefinition).
    public func definesType(_ typeName: String) -> Bool { typeDefinitions[typeName] != nil }

    /// Whether the type is a datatype (`complex-type` or `primitive-type`), without reading its
    /// StructureDefinition.
    public func isDatatype(_ typeName: String) -> Bool {
        typeDefinitions[typeName].map { ["complex-type", "primitive-type"].contains(resources[$0].kind) } ?? false
    }

    /// The concrete resource types (`Patient`, …; not `Resource` or `DomainResource`).
    public var resourceTypeNames: [String] {
        typeDefinitions.compactMap { name, index in
            resources[index].kind == "resource" && !resources[index].isAbstract ? name : nil
        }.sorted()
    }

    /// The canonical URLs of the StructureDefinitions, ValueSets or CodeSystems loaded.
    public func canonicalURLs(ofResourceType resourceType: String) -> [String] {
        resources.filter { $0.resourceType.rawValue == resourceType }.map(\.url)
    }

    /// The profiles (constraints) on a type that the loaded definitions hold, by URL.
    public func profiles(onType typeName: String) -> [String] {
        resources.filter {
            $0.resourceType == .structureDefinition && $0.derivation == "constraint" && $0.type == typeName
        }
        .map(\.url)
    }

    /// The type this one specializes (`DomainResource` for `Patient`, `Quantity` for `Age`).
    public func baseType(of typeName: String) -> String? {
        guard let index = typeDefinitions[typeName], let base = resources[index].baseDefinition else { return nil }
        return self.index(of: base, as: .structureDefinition).flatMap { resources[$0].type }
            ?? base.split(separator: "/").last.map(String.init)
    }

    /// The chain of base types above `typeName`, nearest first (`DomainResource`, `Resource`).
    public func baseTypes(of typeName: String) -> [String] {
        baseChains[typeName] ?? []
    }

    private func chain(above typeName: String) -> [String] {
        var chain: [String] = []
        var current = typeName
        while let base = baseType(of: current), !chain.contains(base), base != current {
            chain.append(base)
            current = base
        }
        return chain
    }

    /// True when `typeName` is `ancestor` or specializes it, directly or not.
    public func isType(_ typeName: String, derivedFrom ancestor: String) -> Bool {
        typeName == ancestor || baseTypes(of: typeName).contains(ancestor)
    }

    // MARK: FHIRTypeLayouts

    public func layout(ofType typeName: String) -> FHIRTypeLayout? {
        typeEntry(typeName)?.layout
    }

    public func children(ofPath path: String) -> [FHIRElementLayout]? {
        let typeName = path.firstIndex(of: ".").map { String(path[..<$0]) } ?? path
        return typeEntry(typeName)?.children[path]
    }

    // MARK: Internals

    /// The index of the resource with this URL (`|version` honoured) and resource type.
    func index(of reference: String, as resourceType: CanonicalResource.ResourceType) -> Int? {
        var url = Substring(reference)
        var version: Substring?
        if let bar = reference.firstIndex(of: "|") {
            url = reference[..<bar]
            version = reference[reference.index(after: bar)...]
        }
        guard let candidates = byURL[String(url)] else { return nil }
        return candidates.last {
            resources[$0].resourceType == resourceType
                && (version == nil || resources[$0].version.map { $0[...] } == version)
        }
    }

    /// The parsed JSON of a resource.
    func json(at index: Int) -> JSONTree? {
        switch resources[index].source {
        case .bytes(let bytes, _): return try? JSONTree.parse(bytes)
        case .carried(let item): return try? JSONTree.parse(BaseR4.bytes(item: item))
        }
    }

    private func structure(at index: Int) -> StructureDefinition? {
        if let cached = lock.withLock({ parsedStructures[index] }) { return cached }
        let shared: [ElementDefinition.Constraint]
        if case .carried = resources[index].source { shared = BaseR4.sharedConstraints } else { shared = [] }
        guard let json = json(at: index), let parsed = try? StructureDefinition(json: json, sharedConstraints: shared)
        else { return nil }
        lock.withLock { parsedStructures[index] = parsed }
        return parsed
    }

    /// A type's layout and the children of each of its paths.
    private struct TypeEntry {
        var layout: FHIRTypeLayout
        var children: [String: [FHIRElementLayout]]
    }

    private func typeEntry(_ typeName: String) -> TypeEntry? {
        if let cached = lock.withLock({ typeEntries[typeName] }) { return cached }
        let entry = structureDefinition(ofType: typeName).map { buildEntry($0) }
        lock.withLock { typeEntries[typeName] = entry }
        return entry
    }

    private func buildEntry(_ definition: StructureDefinition) -> TypeEntry {
        // Base definitions have no slices; skip any (and what is under them) all the same.
        let elements = definition.elements.dropFirst().filter { $0.sliceName == nil && !$0.id.contains(":") }
        let byPath = Dictionary(elements.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        var parents: Set<String> = []
        for element in elements {
            if let dot = element.path.lastIndex(of: ".") { parents.insert(String(element.path[..<dot])) }
        }
        var children: [String: [FHIRElementLayout]] = [:]
        for element in elements {
            guard let dot = element.path.lastIndex(of: ".") else { continue }
            let parent = String(element.path[..<dot])
            if definition.kind == .primitiveType && parent == definition.type && element.path.hasSuffix(".value") {
                continue  // a primitive's value is FHIRElement.value, not a child
            }
            var types = element.types.map { Self.typeName(of: $0) }
            var childrenPath: String?
            if let reference = element.contentReference {
                childrenPath = reference
                types = byPath[reference].map { $0.types.map { Self.typeName(of: $0) } } ?? ["BackboneElement"]
            } else if parents.contains(element.path) {
                childrenPath = element.path
            }
            var name = element.name
            if element.isChoice { name = name.dropLast(3) }
            children[parent, default: []].append(
                FHIRElementLayout(
                    name: String(name), path: element.path, types: types, min: element.min, max: element.max,
                    isChoice: element.isChoice, childrenPath: childrenPath))
        }
        let kind: FHIRElement.Kind
        switch definition.kind {
        case .primitiveType: kind = .primitive
        case .resource: kind = .resource
        case .complexType, .logical: kind = .complex
        }
        let layout = FHIRTypeLayout(
            typeName: definition.type, kind: kind, baseType: baseType(of: definition.type),
            isAbstract: definition.isAbstract, elements: children[definition.type] ?? [])
        return TypeEntry(layout: layout, children: children)
    }

    /// The FHIR type name of a type reference; FHIRPath system types without the
    /// `structuredefinition-fhir-type` extension map to their FHIR primitive.
    static func typeName(of type: ElementDefinition.TypeReference) -> String {
        if let fhirType = type.fhirType { return fhirType }
        let systemPrefix = "http://hl7.org/fhirpath/System."
        guard type.code.hasPrefix(systemPrefix) else { return type.code }
        let name = type.code.dropFirst(systemPrefix.count)
        return name == "DateTime" ? "dateTime" : name.lowercased()
    }
}

/// FHIR package versions: exact (`4.0.1`) or with `x` wildcards (`3.1.x`).
enum PackageVersion {
    static func matches(_ version: String, pattern: String) -> Bool {
        if pattern == version { return true }
        let wanted = pattern.split(separator: ".")
        let actual = version.split(separator: ".")
        guard wanted.last == "x" || wanted.last == "*", actual.count >= wanted.count - 1 else { return false }
        return zip(wanted.dropLast(), actual).allSatisfy { $0 == $1 }
    }
}
