import FHIRCore

/// The structure layer: checks a resource against the R4 definitions generated into FHIRCore
/// (`FHIRDefinitions.elements`, `requiredValueSets`, `referenceTargets`, `contentReferences`),
/// with no per-type code: cardinality, required bindings, primitive formats and references; and
/// every Quantity's unit (``QuantityUnitRules``). The invariants (`dom-3`, `per-1`, `bdl-7`, …)
/// are validation from the definitions' (`FHIRConformance`), which evaluates them with the
/// FHIRPath engine; the commands run it in place of this layer.
enum StructureValidator {
    /// The findings for one resource.
    ///
    /// - Parameters:
    ///   - resource: The resource (a Bundle's entries and contained resources are walked too).
    ///   - path: Its FHIRPath; its type at the root, or the path of an entry in a larger document.
    static func validate(_ resource: AnyResource, at path: FHIRPathBuilder? = nil) -> [ValidationFinding] {
        let tree: ElementNode
        do {
            tree = try ElementTreeEncoder.tree(of: resource)
        } catch {
            return [
                ValidationFinding(
                    .fatal, .exception, rule: "struct-encoding",
                    "the resource could not be read back for validation: \(error)", at: path?.expression)
            ]
        }
        var walk = StructureWalk()
        walk.resource(
            tree, type: resource.resourceType, at: path ?? FHIRPathBuilder(root: resource.resourceType),
            isContained: false)
        return walk.findings
    }
}

/// One walk over a resource tree, collecting findings.
struct StructureWalk {
    private(set) var findings: [ValidationFinding] = []

    /// For each (non-contained) resource being walked: its contained resources' types by id, the
    /// types local references (`#id`) point to.
    private var scopes: [[String: String]] = []
    /// `fullUrl` → resource type for each enclosing Bundle, to check `urn:uuid:` reference targets.
    private var bundleEntries: [[String: String]] = []

    mutating func add(_ finding: ValidationFinding) { findings.append(finding) }

    // MARK: Resources

    mutating func resource(_ node: ElementNode, type: String, at path: FHIRPathBuilder, isContained: Bool) {
        guard FHIRDefinitions.elements[type] != nil else {
            add(
                ValidationFinding(
                    .error, .notSupported, rule: "struct-resource-type",
                    "resource type '\(type)' is not one ivig-fhir supports", at: path.expression))
            return
        }
        if !isContained {
            var scope: [String: String] = [:]
            for item in node["contained"]?.items ?? [] {
                if let id = item["id"]?.text, let containedType = item["resourceType"]?.text {
                    scope[id] = containedType
                }
            }
            scopes.append(scope)
        }
        if type == "Bundle" {
            var entries: [String: String] = [:]
            for entry in node["entry"]?.items ?? [] {
                if let url = entry["fullUrl"]?.text, let entryType = entry["resource"]?["resourceType"]?.text {
                    entries[url] = entryType
                }
            }
            bundleEntries.append(entries)
        }
        object(node, typePath: type, at: path)
        if type == "Bundle" { bundleEntries.removeLast() }
        if !isContained { scopes.removeLast() }
    }

    // MARK: Elements

    /// Checks the elements of an object whose definition is `typePath` (`Dosage`,
    /// `MedicationRequest.dispenseRequest`).
    mutating func object(_ node: ElementNode, typePath: String, at path: FHIRPathBuilder) {
        guard let elements = FHIRDefinitions.elements[typePath] else { return }
        for info in elements {
            var occurrences: [(key: String, type: String)] = []
            if info.isChoice {
                for type in info.types where node.has(info.name + upperFirst(type)) {
                    occurrences.append((info.name + upperFirst(type), type))
                }
            } else if node.has(info.name) {
                occurrences.append((info.name, info.types.first ?? ""))
            }
            let count = occurrences.reduce(0) { total, occurrence in
                total + max(node[occurrence.key]?.items.count ?? 0, node["_" + occurrence.key]?.items.count ?? 0)
            }
            var elementPath = path
            elementPath.append(element: info.name)
            if count < info.min {
                add(
                    ValidationFinding(
                        .error, .required, rule: "struct-cardinality-min",
                        "\(typePath).\(info.name)\(info.isChoice ? "[x]" : "") is required (\(info.min)..\(info.max.map(String.init) ?? "*")) but is missing",
                        at: elementPath.expression))
            }
            if let max = info.max, count > max {
                add(
                    ValidationFinding(
                        .error, .structure, rule: "struct-cardinality-max",
                        "\(typePath).\(info.name) may occur at most \(max) time\(max == 1 ? "" : "s") but occurs \(count) times",
                        at: elementPath.expression))
            }
            if occurrences.count > 1 {
                add(
                    ValidationFinding(
                        .error, .structure, rule: "struct-choice-multiple",
                        "\(typePath).\(info.name)[x] has \(occurrences.count) types (\(occurrences.map(\.key).joined(separator: ", "))); only one is allowed",
                        at: elementPath.expression))
            }
            for occurrence in occurrences {
                element(node, key: occurrence.key, type: occurrence.type, info: info, owner: typePath, at: path)
            }
        }
    }

    private mutating func element(
        _ parent: ElementNode, key: String, type: String, info: FHIRElementInfo, owner: String,
        at parentPath: FHIRPathBuilder
    ) {
        let values = parent[key]?.items ?? []
        let metadata = parent["_" + key]?.items ?? []
        let repeats = info.max != 1
        for index in 0..<max(values.count, metadata.count) {
            var path = parentPath
            path.append(element: key)
            if repeats { path.append(index: index) }
            let value = index < values.count ? values[index] : nil
            if Self.isPrimitive(type) {
                if let value, let text = value.text {
                    primitive(text, type: type, info: info, owner: owner, at: path)
                }
                if index < metadata.count {
                    for (position, item) in (metadata[index]["extension"]?.items ?? []).enumerated() {
                        var extensionPath = path
                        extensionPath.append(element: "extension")
                        extensionPath.append(index: position)
                        datatype(item, type: "Extension", definitionPath: "Extension", binding: nil, at: extensionPath)
                    }
                }
                continue
            }
            guard let value, case .object = value else { continue }
            switch type {
            case "Resource":
                guard let resourceType = value["resourceType"]?.text else { continue }
                var resourcePath = path
                resourcePath.append(resourceType: resourceType)
                let isContained =
                    info.name == "contained" && FHIRDefinitions.elements[owner] != nil && !owner.contains(".")
                resource(value, type: resourceType, at: resourcePath, isContained: isContained)
            case "BackboneElement", "Element":
                let definition = FHIRDefinitions.contentReferences[owner + "." + info.name] ?? owner + "." + info.name
                object(value, typePath: definition, at: path)
            default:
                datatype(value, type: type, definitionPath: owner + "." + info.name, binding: info.binding, at: path)
            }
        }
    }

    private mutating func datatype(
        _ node: ElementNode, type: String, definitionPath: String, binding: FHIRElementInfo.Binding?,
        at path: FHIRPathBuilder
    ) {
        object(node, typePath: type, at: path)
        switch type {
        case "Reference":
            reference(node, definitionPath: definitionPath, at: path)
        case "CodeableConcept", "Coding":
            if let binding, binding.strength == .required {
                codedBinding(node, type: type, valueSet: binding.valueSet, at: path)
            }
        case _ where QuantityUnitRules.quantityTypes.contains(type):
            findings += QuantityUnitRules.check(node, at: path)
        default:
            break
        }
    }

    // MARK: Primitives and bindings

    private mutating func primitive(
        _ text: String, type: String, info: FHIRElementInfo, owner: String, at path: FHIRPathBuilder
    ) {
        // Resource.id is typed as a plain string in the definitions; its format is `id`.
        let format = info.name == "id" && AnyResource.supportedTypes.contains(owner) ? "id" : type
        if let problem = PrimitiveFormats.problem(text, type: format) {
            add(
                ValidationFinding(
                    .error, .value, rule: "struct-format",
                    "'\(Self.abbreviated(text))' is not a valid FHIR \(format): \(problem)", at: path.expression))
        }
        if type == "code", let binding = info.binding, binding.strength == .required {
            let (valueSet, codes) = Self.valueSet(binding.valueSet)
            guard let codes else { return }
            if !codes.values.contains(where: { $0.contains(text) }) {
                add(
                    ValidationFinding(
                        .error, .codeInvalid, rule: "struct-binding",
                        "'\(text)' is not in the required value set \(Self.shortName(valueSet))\(Self.listing(codes))",
                        at: path.expression))
            }
        }
    }

    /// A required binding on a CodeableConcept or Coding: at least one coding must be in the value set.
    private mutating func codedBinding(
        _ node: ElementNode, type: String, valueSet url: String, at path: FHIRPathBuilder
    ) {
        let (valueSet, expansion) = Self.valueSet(url)
        guard let codes = expansion else { return }
        let codings = type == "Coding" ? [node] : node["coding"]?.items ?? []
        let matches = codings.contains { coding in
            guard let system = coding["system"]?.text, let code = coding["code"]?.text else { return false }
            return codes[system]?.contains(code) == true
        }
        guard !matches else { return }
        let found = codings.compactMap { coding -> String? in
            guard let code = coding["code"]?.text else { return nil }
            return (coding["system"]?.text.map { $0 + "|" } ?? "") + code
        }
        let what = found.isEmpty ? "no code was given" : "found \(found.joined(separator: ", "))"
        add(
            ValidationFinding(
                .error, .codeInvalid, rule: "struct-binding",
                "a code from the required value set \(Self.shortName(valueSet)) is needed, but \(what)\(Self.listing(codes))",
                at: path.expression))
    }

    // MARK: References

    private mutating func reference(_ node: ElementNode, definitionPath: String, at path: FHIRPathBuilder) {
        guard let text = node["reference"]?.text else { return }
        var referencePath = path
        referencePath.append(element: "reference")
        let form: ReferenceForm
        switch ReferenceForm.parse(text) {
        case .success(let parsed): form = parsed
        case .failure(let problem):
            add(
                ValidationFinding(
                    .error, .value, rule: "struct-reference",
                    "malformed reference '\(Self.abbreviated(text))': \(problem.reason)", at: referencePath.expression))
            return
        }
        var targetType = form.namedType
        switch form {
        case .local(let id):
            // A local reference naming no contained resource is ref-1's, from the definitions.
            if let type = scopes.last?[id] { targetType = type }
        case .urn(let urn):
            targetType = bundleEntries.reversed().lazy.compactMap { $0[urn] }.first
        default:
            break
        }
        guard let allowed = FHIRDefinitions.referenceTargets[definitionPath], !allowed.contains("Resource") else {
            return
        }
        for (type, element) in [(targetType, "reference"), (node["type"]?.text, "type")] {
            guard let type, !allowed.contains(type) else { continue }
            var at = path
            at.append(element: element)
            add(
                ValidationFinding(
                    .error, .value, rule: "struct-reference-target",
                    "\(definitionPath) may refer to \(allowed.joined(separator: " or ")), not to \(type)",
                    at: at.expression))
        }
    }

    // MARK: Helpers

    static func isPrimitive(_ type: String) -> Bool {
        guard let first = type.utf8.first else { return false }
        return first >= UInt8(ascii: "a") && first <= UInt8(ascii: "z")
    }

    private static func valueSet(_ binding: String) -> (String, [String: Set<String>]?) {
        let url = binding.split(separator: "|", maxSplits: 1).first.map(String.init) ?? binding
        return (url, FHIRDefinitions.requiredValueSets[url])
    }

    private static func shortName(_ valueSet: String) -> String {
        valueSet.split(separator: "/").last.map(String.init) ?? valueSet
    }

    /// ` (one of: a, b, c)` for value sets short enough to list.
    private static func listing(_ codes: [String: Set<String>]) -> String {
        let all = codes.values.flatMap { $0 }.sorted()
        return all.count <= 12 ? " (one of: \(all.joined(separator: ", ")))" : ""
    }

    static func abbreviated(_ text: String) -> String {
        text.count <= 80 ? text : String(text.prefix(77)) + "…"
    }
}

func upperFirst(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }
