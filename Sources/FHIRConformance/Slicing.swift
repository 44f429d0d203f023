import FHIRElementModel
import FHIRJSON
import FHIRPackages
import FHIRPath
import FHIRValidation

extension ConformanceWalk {
    /// Assigns each of the items of a sliced element to a slice by the slicing's
    /// discriminators, and checks each slice's cardinality, closed slicing and order. Returns,
    /// item by item, the rule to validate it against: its slice, or the sliced element.
    mutating func slice(_ items: [FHIRElement], rule: ElementRule, pass: Pass) -> [ElementRule] {
        guard let slicing = rule.definition.slicing else { return items.map { _ in rule } }
        var assigned: [ElementRule] = []
        var sliceIndexes: [Int?] = []
        for item in items {
            // What the item has at each discriminator's path: the same for every slice.
            let values = rule.discriminatorPaths.map { path in Self.evaluate(path, on: item) }
            let index = rule.slices.firstIndex { slice in
                slicing.discriminators.indices.allSatisfy { position in
                    matches(
                        item, values[position], slice: slice, target: slice.discriminatorTargets[position],
                        discriminator: slicing.discriminators[position])
                }
            }
            sliceIndexes.append(index)
            assigned.append(index.map { rule.slices[$0] } ?? rule)
        }
        for (position, slice) in rule.slices.enumerated() {
            let count = sliceIndexes.filter { $0 == position }.count
            let name = slice.definition.sliceName ?? "?"
            if count < slice.definition.min {
                add(
                    .error, .required, "struct-cardinality-min",
                    "\(rule.definition.path) (slice '\(name)'): at least \(slice.definition.min) required, found \(count)",
                    at: items[0].parent ?? items[0], path: (items[0].parent?.fhirPath).map { $0 + "." + rule.name })
            }
            if let max = slice.definition.max, count > max,
                let extra = zip(items, sliceIndexes).filter({ $0.1 == position }).dropFirst(max).first?.0
            {
                add(
                    .error, .structure, "struct-cardinality-max",
                    "\(rule.definition.path) (slice '\(name)'): at most \(max) allowed, found \(count)", at: extra)
            }
        }
        for (item, index) in zip(items, sliceIndexes) where index == nil && slicing.rules == .closed {
            add(
                .error, .structure, "struct-slice-closed",
                "\(rule.definition.path): this item matches none of the slices, and the slicing is closed", at: item)
        }
        if slicing.ordered || slicing.rules == .openAtEnd {
            var highest = -1
            var sawUnmatched = false
            for (item, index) in zip(items, sliceIndexes) {
                if let index {
                    if index < highest && slicing.ordered || sawUnmatched && slicing.rules == .openAtEnd {
                        add(
                            .error, .structure, "struct-slice-order",
                            "\(rule.definition.path): slice '\(rule.slices[index].definition.sliceName ?? "?")' is out of "
                                + "order (the slicing is ordered, unmatched items at the end)", at: item)
                    }
                    highest = max(highest, index)
                } else {
                    sawUnmatched = true
                }
            }
        }
        return assigned
    }

    /// Whether `item` satisfies one discriminator of `slice`.
    /// - Parameters:
    ///   - values: what the item has at the discriminator's path.
    ///   - target: what the slice says at that path (``ElementRule/discriminatorTargets``).
    private func matches(
        _ item: FHIRElement, _ values: [FHIRElement], slice: ElementRule, target: ElementRule?,
        discriminator: ElementDefinition.Slicing.Discriminator
    ) -> Bool {
        let path = discriminator.path
        switch discriminator.type {
        case "value", "pattern":
            if path == "url", slice.typeNames == ["Extension"],
                let profile = slice.definition.types.first?.profiles.first
            {
                return item.child(named: "url")?.value == profile
            }
            guard let target else { return false }
            if let fixed = target.definition.fixed {
                return values.contains { ValuePattern.matches(fixed.json, $0, exactly: discriminator.type == "value") }
            }
            if let pattern = target.definition.pattern {
                return values.contains { ValuePattern.matches(pattern.json, $0, exactly: false) }
            }
            if let binding = target.definition.binding, binding.strength == .required, let valueSet = binding.valueSet {
                return values.contains { value in
                    let system = value.child(named: "system")?.value
                    guard let code = value.child(named: "code")?.value ?? value.value else { return false }
                    return validator.terminology.contains(system: system, code: code, in: valueSet) == .member
                }
            }
            return false
        case "exists":
            guard let target else { return false }
            return target.definition.min >= 1 ? !values.isEmpty : (target.definition.max == 0 ? values.isEmpty : true)
        case "type":
            guard let target else { return false }
            return values.contains { value in target.typeNames.contains(value.typeName) }
        case "profile":
            guard let target else { return false }
            let profiles = target.definition.types.flatMap(\.profiles)
            return values.contains { value in
                profiles.contains { profile in
                    ConformanceTerminology(validator: validator).conformsTo(value, profile: profile) == .yes
                }
            }
        default:
            return false
        }
    }

    /// The elements at a discriminator path (a FHIRPath: `code`, `coding.system`, `$this`,
    /// `extension('url').value`, `resolve()`), evaluated from the item.
    static func evaluate(_ path: ElementRule.DiscriminatorPath, on item: FHIRElement) -> [FHIRElement] {
        let expression: FHIRPathExpression
        switch path {
        case .this: return [item]
        case .unreadable: return []
        case .expression(let parsed): expression = parsed
        }
        guard let values = try? expression.evaluate(on: item) else { return [] }
        return values.compactMap { value in
            if case .element(let element) = value { return element }
            return nil
        }
    }
}
