import FHIRElementModel
import FHIRPackages
import FHIRPath
import FHIRValidation

/// One walk over a resource and the definitions that apply to it, collecting findings.
///
/// The walk goes down the resource and the snapshot tree together. Where the snapshot does not
/// unroll an element's children (a datatype, an extension, a `contentReference`), it continues
/// in the definition of the element's type. The resource's type is walked first, with its
/// extensions, references and nested resources; then each profile, for what the profile adds
/// (nested resources and invariants of the base types are not walked twice).
struct ConformanceWalk {
    let validator: ConformanceValidator
    private(set) var findings: [ValidationFinding] = []
    /// The Bundles above the element being walked, innermost last.
    var bundles: [BundleIndex] = []
    /// Where invariants are evaluated: `%resource` is the resource being walked, `%rootResource`
    /// that resource or, for a contained one, its container (a Bundle entry's resource is its own
    /// root), set as the walk enters and leaves resources.
    private var invariantEnvironment: FHIRPathEnvironment
    /// The definition of the extension met last: a resource repeats the same few extensions.
    private var lastExtension: (url: String, structure: CompiledStructure?)?
    /// The runs of children (see ``appendRuns(of:by:to:)``) of the elements being walked, the
    /// innermost last: one list for the whole walk, so no element allocates its own.
    private var runStack: [(rule: Int, range: Range<Int>)] = []

    init(validator: ConformanceValidator) {
        self.validator = validator
        invariantEnvironment = Invariant.environment(for: validator)
    }

    var book: RuleBook { validator.book }

    /// A pass over the resource: its own type (walks everything) or a profile (what it adds).
    struct Pass {
        let structure: CompiledStructure
        let isBase: Bool
    }

    mutating func add(
        _ severity: ValidationFinding.Severity, _ type: ValidationFinding.IssueType, _ rule: String,
        _ message: String, at element: FHIRElement, path: String? = nil
    ) {
        findings.append(
            ValidationFinding(
                severity, type, rule: rule, message, at: path ?? element.fhirPath, location: element.location))
    }

    // MARK: Resources

    /// Validates a resource against its type, then its profiles (`meta.profile`, `profiles`,
    /// and the vital-signs profile its code claims).
    mutating func resource(_ node: FHIRElement, profiles extra: [String] = []) {
        guard let base = book.type(node.typeName) else {
            add(
                .error, .notSupported, "struct-resource-type",
                "resource type '\(node.typeName)' is not defined by the loaded definitions", at: node)
            return
        }
        let outerResource = invariantEnvironment.resource
        let outerRoot = invariantEnvironment.rootResource
        invariantEnvironment.resource = node
        invariantEnvironment.rootResource = node.name == "contained" ? (outerRoot ?? node.rootResource) : node
        defer {
            invariantEnvironment.resource = outerResource
            invariantEnvironment.rootResource = outerRoot
        }
        let isBundle = node.typeName == "Bundle"
        if isBundle {
            bundles.append(BundleIndex(node))
            bundleRules(node)
        }
        walk(node, rule: base.root, pass: Pass(structure: base, isBase: true))
        var urls: [String] = []
        for url in node.child(named: "meta")?.children(named: "profile").compactMap(\.value) ?? [] {
            if book.structure(url: url) == nil {
                add(
                    .warning, .notSupported, "profile-unknown",
                    "profile \(url) is not in the loaded packages, so the resource is not checked against it "
                        + "(give its package with --package)", at: node)
            } else {
                urls.append(url)
            }
        }
        urls += extra
        if validator.options.appliesVitalSignsProfiles, node.typeName == "Observation" {
            urls += VitalSigns.profiles(for: node)
        }
        var done: Set<String> = []
        for url in urls where done.insert(url).inserted {
            guard let profile = book.structure(url: url) else { continue }
            guard validator.definitions.isType(node.typeName, derivedFrom: profile.definition.type) else {
                add(
                    .error, .invalid, "profile-type",
                    "profile \(url) is for \(profile.definition.type), not \(node.typeName)", at: node)
                continue
            }
            walk(node, rule: profile.root, pass: Pass(structure: profile, isBase: false))
        }
        if isBundle { bundles.removeLast() }
    }

    // MARK: Elements

    /// Checks one element against its rule, then its children.
    private mutating func walk(_ node: FHIRElement, rule: ElementRule, pass: Pass) {
        checkValue(node, rule: rule)
        invariants(rule.invariants, on: node, pass: pass)
        if node.typeName == "Reference" { reference(node, rule: rule) }
        if pass.isBase, validator.options.checksUnits, node.kind == .complex,
            QuantityUnitRules.quantityTypes.contains(node.typeName)
        {
            units(node)
        }

        var childOwner = rule
        var childPass = pass
        if rule !== pass.structure.root, node.kind == .complex || node.kind == .primitive {
            // The type's own invariants (qty-3 on a Quantity, ext-1 on an Extension) and, where the
            // snapshot stops, its elements.
            let typeStructure: CompiledStructure?
            var typeInvariants: [CompiledInvariant]?  // nil: the type root's, less the rule's
            if node.typeName == "Extension", pass.isBase {
                typeStructure = extensionStructure(node, rule: rule) ?? book.type("Extension")
            } else if let link = rule.typeLink(node.typeName) {
                typeStructure = link.structure
                typeInvariants = link.invariants
            } else {
                typeStructure = book.type(node.typeName)
            }
            if let typeStructure {
                if pass.isBase || typeStructure.definition.isProfile {
                    if let typeInvariants {
                        invariants(typeInvariants, on: node, pass: pass)
                    } else {
                        invariants(typeStructure.root.invariants, on: node, pass: pass, skipping: rule)
                    }
                }
                // A profile pass goes into a type only where a profile constrains it: the base
                // pass has walked the type's own definition.
                if childOwner.children.isEmpty, pass.isBase || typeStructure.definition.isProfile {
                    if typeStructure.definition.isProfile { checkValue(node, rule: typeStructure.root) }
                    childOwner = typeStructure.root
                    childPass = Pass(structure: typeStructure, isBase: pass.isBase)
                }
            }
        } else if childOwner.children.isEmpty, let reference = rule.definition.contentReference,
            let target = pass.structure.rule(referencedBy: reference)
        {
            childOwner = target
        }
        children(of: node, rules: childOwner, pass: childPass)
    }

    /// The children of `node` against the rules one step below its definition (`owner`'s children).
    private mutating func children(of node: FHIRElement, rules owner: ElementRule, pass: Pass) {
        let children = node.children
        if children.isEmpty, !owner.hasRequiredChild { return }
        let base = runStack.count
        defer { runStack.removeSubrange(base...) }
        guard Self.appendRuns(of: children, by: owner, to: &runStack) else {
            for rule in owner.children {
                checkChildren(children.filter { $0.name == rule.name }[...], of: node, rule: rule, pass: pass)
            }
            return
        }
        // Most rules match nothing: those with children here, and those with a minimum, are
        // checked, in the rules' order (both lists are in it).
        let required = owner.requiredChildOffsets
        var nextRun = base
        var nextRequired = 0
        while nextRun < runStack.count || nextRequired < required.count {
            let runRule = nextRun < runStack.count ? runStack[nextRun].rule : Int.max
            let requiredRule = nextRequired < required.count ? required[nextRequired] : Int.max
            var matching = children[children.startIndex..<children.startIndex]
            if runRule <= requiredRule {
                matching = children[runStack[nextRun].range]
                nextRun += 1
            }
            if requiredRule <= runRule { nextRequired += 1 }
            checkChildren(matching, of: node, rule: owner.children[min(runRule, requiredRule)], pass: pass)
        }
    }

    /// The children of `node` that `rule` is about: their number, types and slices, then each.
    private mutating func checkChildren(
        _ matching: ArraySlice<FHIRElement>, of node: FHIRElement, rule: ElementRule, pass: Pass
    ) {
        // A primitive's value is the element's own text, not a child.
        if node.kind == .primitive, rule.name == "value" { return }
        if matching.count < rule.definition.min {
            let sliceNote = rule.definition.sliceName.map { " (slice '\($0)')" } ?? ""
            add(
                .error, .required, "struct-cardinality-min",
                "\(rule.definition.path)\(sliceNote): at least \(rule.definition.min) required, "
                    + "found \(matching.count)",
                at: node, path: node.fhirPath + "." + rule.name)
        }
        if let max = rule.definition.max, matching.count > max {
            add(
                .error, .structure, "struct-cardinality-max",
                "\(rule.definition.path): at most \(max) allowed, found \(matching.count)",
                at: matching[matching.startIndex + max])
        }
        guard !matching.isEmpty else { return }
        for child in matching where !typeAllowed(child, rule: rule) {
            add(
                .error, .structure, "struct-type",
                "\(rule.definition.path): type \(child.typeName) is not allowed here (allowed: "
                    + rule.typeNames.joined(separator: ", ") + ")", at: child)
        }
        if rule.definition.slicing != nil, !rule.slices.isEmpty {
            let assigned = slice(Array(matching), rule: rule, pass: pass)
            for (child, childRule) in zip(matching, assigned) { visit(child, rule: childRule, pass: pass) }
        } else {
            for child in matching { visit(child, rule: rule, pass: pass) }
        }
    }

    /// A child element: a nested resource is validated as a resource (once, in the base pass).
    private mutating func visit(_ child: FHIRElement, rule: ElementRule, pass: Pass) {
        if child.kind == .resource {
            if pass.isBase { resource(child) }
            return
        }
        walk(child, rule: rule, pass: pass)
    }

    /// Appends to `runs` each run of children with one name, with the position in `owner`'s
    /// child rules of the rule of that name; false when the children do not come in the rules'
    /// order (what was appended is then of no use).
    ///
    /// Children are in specification order, and so are the rules (the snapshot's), so one pass
    /// hands each rule the run of children with its name. Should the children not come in the
    /// rules' order, or two rules share a name, each rule must pick its own out of all of them.
    static func appendRuns(
        of children: [FHIRElement], by owner: ElementRule, to runs: inout [(rule: Int, range: Range<Int>)]
    ) -> Bool {
        guard owner.childNamesAreUnique else { return false }
        let names = owner.childNames
        var rule = 0
        var position = children.startIndex
        while position < children.endIndex {
            let name = children[position].name
            while rule < names.count, names[rule] != name { rule += 1 }
            guard rule < names.count else { return false }
            let start = position
            position += 1
            while position < children.endIndex, children[position].name == name { position += 1 }
            runs.append((rule, start..<position))
            rule += 1
        }
        return true
    }

    private func typeAllowed(_ child: FHIRElement, rule: ElementRule) -> Bool {
        let allowed = rule.typeNames
        if allowed.isEmpty || allowed.contains(child.typeName) { return true }
        if child.kind == .backbone { return allowed.contains("BackboneElement") || allowed.contains("Element") }
        return allowed.contains { validator.definitions.isType(child.typeName, derivedFrom: $0) }
    }

    // MARK: Values

    /// `fixed[x]`, `pattern[x]`, `maxLength` and the binding of one element.
    private mutating func checkValue(_ node: FHIRElement, rule: ElementRule) {
        if let fixed = rule.definition.fixed, !ValuePattern.matches(fixed.json, node, exactly: true) {
            add(
                .error, .value, "struct-fixed",
                "\(rule.definition.path): the value must be exactly \(ValuePattern.describe(fixed.json))"
                    + (node.value.map { ", not '\($0)'" } ?? ""), at: node)
        }
        if let pattern = rule.definition.pattern, !ValuePattern.matches(pattern.json, node, exactly: false) {
            add(
                .error, .value, "struct-pattern",
                "\(rule.definition.path): the value must match the pattern \(ValuePattern.describe(pattern.json))",
                at: node)
        }
        if let maxLength = rule.definition.maxLength, let value = node.value, value.count > maxLength {
            add(
                .error, .value, "struct-max-length",
                "\(rule.definition.path): the value is \(value.count) characters long; at most \(maxLength) allowed",
                at: node)
        }
        if let binding = rule.definition.binding, let valueSet = binding.valueSet,
            binding.strength == .required || binding.strength == .extensible
        {
            checkBinding(node, valueSet: valueSet, required: binding.strength == .required, path: rule.definition.path)
        }
    }

    private mutating func checkBinding(_ node: FHIRElement, valueSet: String, required: Bool, path: String) {
        let codes: [(system: String?, code: String, at: FHIRElement)]
        switch node.typeName {
        case "code", "string", "uri":
            guard let value = node.value else { return }
            codes = [(nil, value, node)]
        case "Coding", "Quantity":
            guard let code = node.child(named: "code")?.value else { return }
            codes = [(node.child(named: "system")?.value, code, node)]
        case "CodeableConcept":
            codes = node.children(named: "coding").compactMap { coding in
                coding.child(named: "code")?.value.map { (coding.child(named: "system")?.value, $0, coding) }
            }
            if codes.isEmpty {
                if required, node.child(named: "text") != nil {
                    add(
                        .error, .codeInvalid, "struct-binding",
                        "\(path): no code is given, and one is required from the value set \(valueSet)", at: node)
                }
                return
            }
        default:
            return
        }
        var unknown: String?
        var outside: [(system: String?, code: String, at: FHIRElement)] = []
        for item in codes {
            switch validator.terminology.contains(system: item.system, code: item.code, in: valueSet) {
            case .member: return  // a CodeableConcept needs one coding in the value set
            case .notMember: outside.append(item)
            case .unknown(let reason): unknown = reason
            }
        }
        if let unknown {
            add(
                .information, .informational, "struct-binding-unchecked",
                "\(path): the code is not checked against \(valueSet): \(unknown)", at: node)
            return
        }
        guard let first = outside.first else { return }
        let shown = first.system.map { "\($0)#\(first.code)" } ?? "'\(first.code)'"
        add(
            required ? .error : .warning, .codeInvalid, required ? "struct-binding" : "struct-binding-extensible",
            "\(path): the code \(shown) is not in the value set \(valueSet)"
                + (required ? " (required binding)" : " (extensible binding: use it when a code in it fits)"),
            at: node)
    }

    // MARK: Units

    /// The UCUM checks of one Quantity, each finding at the element at fault.
    private mutating func units(_ quantity: FHIRElement) {
        let found = QuantityUnitRules.findings(
            value: quantity.child(named: "value")?.value, unit: quantity.child(named: "unit")?.value,
            system: quantity.child(named: "system")?.value, code: quantity.child(named: "code")?.value)
        for (element, finding) in found {
            var placed = finding
            placed.fhirPath = quantity.fhirPath + "." + element
            placed.location = (quantity.child(named: element) ?? quantity).location
            findings.append(placed)
        }
    }

    // MARK: Invariants

    /// Evaluates each constraint on `node` with the FHIRPath engine. On a profile pass the
    /// constraints the base types define are skipped (the base pass evaluated them); `skipping`
    /// is a rule whose constraints were already evaluated on this node.
    private mutating func invariants(
        _ invariants: [CompiledInvariant], on node: FHIRElement, pass: Pass, skipping: ElementRule? = nil
    ) {
        var previous: (expression: FHIRPathExpression, outcome: Invariant.Outcome)?
        for invariant in invariants {
            if !pass.isBase, !invariant.appliesOnProfilePasses { continue }
            if let skipping, skipping.invariants.contains(where: { $0.key == invariant.key }) { continue }
            var severity: ValidationFinding.Severity = invariant.isError ? .error : .warning
            if invariant.isBestPractice {
                guard let chosen = validator.options.bestPracticeSeverity else { continue }
                // "Contained resources do not have narrative" (R4, DomainResource.text).
                if invariant.key == "dom-6", node.kind == .resource, node.name == "contained" { continue }
                severity = chosen
            }
            // Two constraints may share an expression (R4's txt-1 and txt-2 are both
            // `htmlChecks()`): on the same element it gives the same answer.
            let outcome: Invariant.Outcome
            if let previous, case .success(let expression) = invariant.expression, previous.expression === expression {
                outcome = previous.outcome
            } else {
                outcome = Invariant.evaluate(invariant, on: node, environment: invariantEnvironment)
                if case .success(let expression) = invariant.expression { previous = (expression, outcome) }
            }
            switch outcome {
            case .satisfied: continue
            case .failed:
                add(
                    severity, .invariant, invariant.key, "\(invariant.key): \(invariant.constraint.human)", at: node)
            case .notEvaluated(let reason):
                add(
                    .information, .informational, invariant.key,
                    "\(invariant.key) could not be evaluated: \(reason)", at: node)
            }
        }
    }

    // MARK: Extensions

    /// The definition of an extension by its `url`, after checking the url, the context and
    /// modifier-ness; nil when the url is missing or unknown (reported).
    private mutating func extensionStructure(_ node: FHIRElement, rule: ElementRule) -> CompiledStructure? {
        guard let url = node.child(named: "url")?.value else { return nil }  // Extension.url is 1..1: reported
        let host = node.parent
        let isNested = host?.typeName == "Extension"
        if !isNested, !url.contains(":") {
            add(
                .error, .value, "ext-url",
                "extension url '\(url)' is not absolute: an extension is named by its canonical URL "
                    + "(only an extension inside another may have a relative url)", at: node)
            return nil
        }
        if isNested, !url.contains(":") { return nil }  // a part of its parent's definition
        if lastExtension?.url != url { lastExtension = (url, book.structure(url: url)) }
        guard let structure = lastExtension?.structure, structure.definition.type == "Extension" else {
            add(
                validator.options.unknownExtensionSeverity, .structure, "ext-unknown",
                "extension \(url) is not defined in the loaded packages, so it is not checked", at: node)
            return nil
        }
        let isModifier = structure.root.definition.isModifier
        if node.name == "extension", isModifier {
            add(
                .error, .structure, "ext-modifier",
                "extension \(url) is a modifier extension: it belongs in modifierExtension, not extension", at: node)
        } else if node.name == "modifierExtension", !isModifier {
            add(
                .error, .structure, "ext-modifier",
                "extension \(url) is not a modifier extension: it belongs in extension, not modifierExtension", at: node
            )
        }
        if let host, !contextAllows(structure.definition.contexts, host: host) {
            let allowed = structure.definition.contexts.map(\.expression).joined(separator: ", ")
            add(
                .error, .structure, "ext-context",
                "extension \(url) is not allowed on \(Self.definitionPath(of: host)) (its contexts: \(allowed))",
                at: node)
        }
        return structure
    }

    /// Whether an extension's contexts allow it on `host`.
    private func contextAllows(_ contexts: [StructureDefinition.Context], host: FHIRElement) -> Bool {
        if contexts.isEmpty { return true }
        // Resource.id is a bare string: no extension may go on it.
        if host.name == "id", host.parent?.kind == .resource { return false }
        // The usual answers first, without building the host's path from its ancestors.
        for context in contexts where context.type == "element" {
            let expression = context.expression
            if expression == "Element" || expression == host.typeName || expression == host.definitionPath {
                return true
            }
        }
        let hostPaths = Set([Self.definitionPath(of: host), host.definitionPath].compactMap { $0 })
        for context in contexts {
            let expression = context.expression
            switch context.type {
            case "element":
                if expression == "Element" { return true }  // R4 uses it for resources too (fmm on OperationDefinition)
                if hostPaths.contains(expression) || expression == host.typeName { return true }
                if validator.definitions.isType(host.typeName, derivedFrom: expression) { return true }
                // `Observation.value[x]` against `Observation.value`.
                if expression.hasSuffix("[x]"), hostPaths.contains(String(expression.dropLast(3))) { return true }
            case "extension":
                if host.typeName == "Extension", host.child(named: "url")?.value == expression { return true }
            default:
                return true  // fhirpath contexts: not evaluated, so not refused
            }
        }
        return false
    }

    /// The element's path inside its resource (`Patient.contact.name`), from the names.
    static func definitionPath(of element: FHIRElement) -> String {
        if element.kind == .resource { return element.typeName }
        var names: [String] = []
        var node: FHIRElement? = element
        while let current = node, current.kind != .resource {
            names.append(current.name)
            node = current.parent
        }
        names.append(node?.typeName ?? "")
        return names.reversed().joined(separator: ".")
    }
}
