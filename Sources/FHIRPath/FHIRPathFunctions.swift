import ExactArithmetic
import FHIRElementModel

extension FHIRPathEvaluator {
    /// Evaluates a function call on `input`.
    func call(
        _ function: FHIRPathFunction, _ arguments: [FHIRPathNode], input: [FHIRPathValue], frame: Frame,
        node: FHIRPathNode
    ) throws(FHIRPathError) -> [FHIRPathValue] {
        /// An argument evaluated once, against the current `$this`.
        func argument(_ index: Int) throws(FHIRPathError) -> [FHIRPathValue] {
            try evaluate(arguments[index], input: frame.this, frame: frame)
        }
        func stringArg(_ index: Int) throws(FHIRPathError) -> String? {
            try stringArgument(argument(index), arguments[index])
        }
        func typeArg(_ index: Int) -> FHIRPathTypeSpecifier {
            guard case .member(let text) = arguments[index].kind else { return FHIRPathTypeSpecifier(name: "") }
            if let dot = text.firstIndex(of: ".") {
                return FHIRPathTypeSpecifier(
                    namespace: String(text[..<dot]), name: String(text[text.index(after: dot)...]))
            }
            return FHIRPathTypeSpecifier(namespace: nil, name: text)
        }

        switch function {
        // MARK: Existence
        case .empty:
            return .boolean(input.isEmpty)
        case .exists:
            if arguments.isEmpty { return .boolean(!input.isEmpty) }
            let matching = try filter(input, arguments[0], frame: frame)
            return .boolean(!matching.isEmpty)
        case .all:
            for (index, item) in input.enumerated() {
                let single = [item]
                let inner = Frame(this: single, index: index, total: nil)
                try step(node)
                if try booleanValue(evaluate(arguments[0], input: single, frame: inner), arguments[0]) != true {
                    return .boolean(false)
                }
            }
            return .boolean(true)
        case .allTrue, .anyTrue, .allFalse, .anyFalse:
            var flags: [Bool] = []
            for item in input {
                guard case .boolean(let flag)? = item.systemValue else {
                    throw failure("'\(function.rawValue)' needs booleans, found \(describe(item))", at: node)
                }
                flags.append(flag)
            }
            switch function {
            case .allTrue: return .boolean(flags.allSatisfy { $0 })
            case .anyTrue: return .boolean(flags.contains(true))
            case .allFalse: return .boolean(flags.allSatisfy { !$0 })
            default: return .boolean(flags.contains(false))
            }
        case .subsetOf, .supersetOf:
            let other = try evaluate(arguments[0], input: context, frame: frame)
            let (small, large) = function == .subsetOf ? (input, other) : (other, input)
            return [
                .boolean(small.allSatisfy { item in large.contains { FHIRPathEquality.itemEqual(item, $0) == true } })
            ]
        case .count:
            return .integer(input.count)
        case .distinct:
            return FHIRPathEquality.distinct(input)
        case .isDistinct:
            return .boolean(FHIRPathEquality.distinct(input).count == input.count)

        // MARK: Filtering and projection
        case .where:
            return try filter(input, arguments[0], frame: frame)
        case .select:
            var result: [FHIRPathValue] = []
            for (index, item) in input.enumerated() {
                let single = [item]
                let inner = Frame(this: single, index: index, total: nil)
                result += try evaluate(arguments[0], input: single, frame: inner)
                try checkSize(result, node)
            }
            return result
        case .repeat:
            return try repeatProjection(input, arguments[0], frame: frame, node: node)
        case .ofType:
            return FHIRPathTypes.filter(input, ofType: try knownType(typeArg(0), node), layouts: environment.layouts)

        // MARK: Subsetting
        case .single:
            guard input.count <= 1 else {
                throw failure("'single()' found \(input.count) items", at: node)
            }
            return input
        case .first:
            return input.first.map { [$0] } ?? []
        case .last:
            return input.last.map { [$0] } ?? []
        case .tail:
            return Array(input.dropFirst())
        case .skip:
            guard let count = try integerArgument(argument(0), arguments[0]) else { return [] }
            return Array(input.dropFirst(max(0, count)))
        case .take:
            guard let count = try integerArgument(argument(0), arguments[0]) else { return [] }
            return Array(input.prefix(max(0, count)))
        case .intersect:
            let other = try argument(0)
            return FHIRPathEquality.distinct(
                input.filter { item in other.contains { FHIRPathEquality.itemEqual(item, $0) == true } })
        case .exclude:
            let other = try argument(0)
            return input.filter { item in !other.contains { FHIRPathEquality.itemEqual(item, $0) == true } }

        // MARK: Combining
        case .union:
            return FHIRPathEquality.distinct(input + (try argument(0)))
        case .combine:
            return input + (try argument(0))

        // MARK: Conversion
        case .iif:
            if input.count > 1 { throw failure("'iif' is called on \(input.count) items", at: node) }
            // Called on an item (`x.iif(…)`), its arguments see that item as $this.
            var frame = frame
            if !input.isEmpty {
                frame = Frame(this: input, index: frame.index, total: frame.total)
            }
            func argument(_ index: Int) throws(FHIRPathError) -> [FHIRPathValue] {
                try evaluate(arguments[index], input: frame.this, frame: frame)
            }
            let conditionValues = try evaluate(arguments[0], input: frame.this, frame: frame)
            if let first = conditionValues.first, conditionValues.count == 1, case .boolean = first.systemValue ?? first
            {
            } else if !conditionValues.isEmpty {
                throw failure("the condition of 'iif' must be a boolean", at: arguments[0], stage: .semantic)
            }
            let condition = try booleanValue(conditionValues, arguments[0])
            if condition == true { return try argument(1) }
            return arguments.count > 2 ? try argument(2) : []
        case .toBoolean, .toInteger, .toLong, .toDecimal, .toString, .toDate, .toDateTime, .toTime:
            guard let value = try singleton(input, node) else { return [] }
            return FHIRPathConversion.convert(value, function).map { [$0] } ?? []
        case .convertsToBoolean, .convertsToInteger, .convertsToLong, .convertsToDecimal, .convertsToString,
            .convertsToDate, .convertsToDateTime, .convertsToTime:
            guard let value = try singleton(input, node) else { return [] }
            return .boolean(FHIRPathConversion.convert(value, FHIRPathConversion.target(of: function)) != nil)
        case .toQuantity, .convertsToQuantity:
            guard let value = try singleton(input, node) else { return [] }
            var quantity = FHIRPathConversion.quantity(value)
            if let unit = arguments.isEmpty ? nil : try stringArg(0), let q = quantity {
                quantity = FHIRPathEquality.convert(q, to: FHIRPathQuantity(value: 0, unit: unit))
                    .map { FHIRPathQuantity(value: $0, unit: unit) }
            }
            if function == .convertsToQuantity { return .boolean(quantity != nil) }
            return quantity.map { [.quantity($0)] } ?? []

        // MARK: Strings
        case .indexOf, .lastIndexOf, .substring, .startsWith, .endsWith, .contains, .upper, .lower, .replace,
            .matches, .matchesFull, .replaceMatches, .length, .toChars, .encode, .decode, .escape, .unescape, .trim,
            .split:
            if input.count == 1, case .element(let element) = input[0], element.kind != .primitive {
                throw failure(
                    "'\(function.rawValue)' needs a string, found \(element.typeName)", at: node, stage: .semantic)
            }
            guard let value = try singleton(input, node) else { return [] }
            guard case .string(let text) = value else {
                throw failure(
                    "'\(function.rawValue)' needs a string, found \(describe(value))", at: node, stage: .semantic)
            }
            var stringArguments: [String?] = []
            var integerArguments: [Int?] = []
            for index in arguments.indices {
                let values = try argument(index)
                if function == .substring {
                    integerArguments.append(try integerArgument(values, arguments[index]))
                } else {
                    stringArguments.append(try stringArgument(values, arguments[index]))
                }
            }
            do {
                return try FHIRPathStrings.apply(function, text, stringArguments, integerArguments)
            } catch {
                throw failure(error.message, at: node, stage: error.stage)
            }
        case .join:
            let separator = arguments.isEmpty ? "" : try stringArg(0) ?? ""
            var parts: [String] = []
            for item in input {
                guard case .string(let text)? = item.systemValue else {
                    throw failure("'join' needs strings, found \(describe(item))", at: node)
                }
                parts.append(text)
            }
            return [.string(parts.joined(separator: separator))]

        // MARK: Math
        case .abs, .ceiling, .exp, .floor, .ln, .log, .power, .round, .sqrt, .truncate:
            guard let value = try singleton(input, node) else { return [] }
            var numberArgument: FHIRPathValue?
            if !arguments.isEmpty {
                guard let argumentValue = try singleton(argument(0), arguments[0]) else { return [] }
                numberArgument = argumentValue
            }
            do {
                return try FHIRPathMath.apply(function, value, numberArgument).map { [$0] } ?? []
            } catch {
                throw failure(error.message, at: node)
            }

        // MARK: Tree navigation
        case .children:
            var result: [FHIRPathValue] = []
            Self.appendChildren(of: input, to: &result)
            return result
        case .descendants:
            // R4's dom-3 asks for `%resource.descendants()` four times per contained resource.
            if input.count == 1, case .element(let element) = input[0], let known = lastDescendants,
                known.of === element
            {
                return known.items
            }
            // Level by level into one array: the level just added is read from the array itself
            // while the next one is appended behind it.
            var result: [FHIRPathValue] = []
            Self.appendChildren(of: input, to: &result)
            var levelStart = 0
            while levelStart < result.count {
                let levelEnd = result.count
                try step(node, count: levelEnd - levelStart)
                try checkSize(result, node)
                for index in levelStart..<levelEnd {
                    guard case .element(let element) = result[index] else { continue }
                    for child in element.children { result.append(.element(child)) }
                }
                levelStart = levelEnd
            }
            if input.count == 1, case .element(let element) = input[0] { lastDescendants = (element, result) }
            return result

        // MARK: Utility
        case .trace:
            let name = try stringArg(0) ?? ""
            if let trace = environment.trace {
                let shown = arguments.count > 1 ? try select(input, arguments[1], frame: frame, node: node) : input
                trace(name, shown)
            }
            return input
        case .now:
            return [.dateTime(FHIRPathTemporal.now())]
        case .today:
            var today = FHIRPathTemporal.now()
            today.precision = .day
            today.zoneOffset = nil
            return [.date(today)]
        case .timeOfDay:
            var time = FHIRPathTemporal.now()
            time.hasDate = false
            time.zoneOffset = nil
            return [.time(time)]
        case .defineVariable:
            guard let name = try stringArg(0) else { return input }
            if Self.reservedConstants.contains(name) || definedVariables[name] != nil
                || environment.variables[name] != nil
            {
                throw failure("variable '%\(name)' is already defined", at: node, stage: .semantic)
            }
            definedVariables[name] =
                arguments.count > 1 ? try evaluate(arguments[1], input: input, frame: frame) : input
            return input

        // MARK: Aggregates, logic, types, ordering
        case .aggregate:
            var total = arguments.count > 1 ? try argument(1) : []
            for (index, item) in input.enumerated() {
                let single = [item]
                let inner = Frame(this: single, index: index, total: total)
                total = try evaluate(arguments[0], input: single, frame: inner)
                try checkSize(total, node)
            }
            return total
        case .not:
            guard let value = try booleanValue(input, node) else { return [] }
            return .boolean(!value)
        case .is:
            guard let item = input.first else { return [] }
            guard input.count == 1 else { throw failure("'is' needs one item, not \(input.count)", at: node) }
            return [
                .boolean(FHIRPathTypes.matches(item, try knownType(typeArg(0), node), layouts: environment.layouts))
            ]
        case .as:
            // N1 says several items are an error, but R4's own invariants apply `as()` to
            // collections (dom-3: `%resource.descendants().as(canonical)`), and the HL7 validator
            // filters them as `ofType` does; so does this function (the `as` operator stays strict).
            return FHIRPathTypes.filter(input, ofType: try knownType(typeArg(0), node), layouts: environment.layouts)
        case .type:
            return input.map { item in
                let (namespace, name) = item.typeSpecifier
                return .typeInfo(namespace: namespace, name: name)
            }
        case .sort:
            return try sort(input, arguments, frame: frame, node: node)
        case .lowBoundary, .highBoundary, .precision, .comparable:
            guard let value = try singleton(input, node) else { return [] }
            var other: FHIRPathValue?
            if !arguments.isEmpty {
                guard let argumentValue = try singleton(argument(0), arguments[0]) else { return [] }
                other = argumentValue
            }
            return FHIRPathBoundaries.apply(function, value, other).map { [$0] } ?? []

        // MARK: FHIR
        case .extension:
            guard let url = try stringArg(0) else { return [] }
            var result: [FHIRPathValue] = []
            for case .element(let element) in input {
                for child in element.children where child.name == "extension" && child.child(named: "url")?.value == url
                {
                    result.append(.element(child))
                }
            }
            return result
        case .hasValue:
            guard input.count == 1, case .element(let element) = input[0] else { return .boolean(false) }
            return .boolean(element.kind == .primitive && element.value != nil)
        case .getValue:
            guard input.count == 1, case .element(let element) = input[0], element.kind == .primitive,
                element.value != nil, let value = input[0].systemValue
            else { return [] }
            return [value]
        case .resolve:
            return input.compactMap(resolve)
        case .memberOf, .conformsTo, .subsumes, .subsumedBy:
            return try terminologyQuestion(function, input, arguments, frame: frame, node: node)
        case .htmlChecks:
            return .boolean(input.allSatisfy(FHIRPathNarrative.isAcceptable))
        case .elementDefinition, .slice:
            throw failure(
                "'\(function.rawValue)' needs the profile's element definitions, which this evaluation does not have",
                at: node, stage: .cannotEvaluate)
        case .checkModifiers:
            let allowed = Set(try argument(0).map(\.text))
            for case .element(let element) in input {
                for child in element.children where child.name == "modifierExtension" {
                    let url = child.child(named: "url")?.value ?? ""
                    if !allowed.contains(url) {
                        throw failure("unknown modifier extension '\(url)'", at: node)
                    }
                }
            }
            return input
        }
    }

    /// The type, or an error when no definition or System type has that name.
    func knownType(_ type: FHIRPathTypeSpecifier, _ node: FHIRPathNode) throws(FHIRPathError) -> FHIRPathTypeSpecifier {
        // `System.Patient` is simply no System type; an unknown FHIR name is a mistake.
        guard type.namespace == "System" || FHIRPathTypes.isKnown(type, layouts: environment.layouts) else {
            throw failure("unknown type '\(type)'", at: node)
        }
        return type
    }

    static let reservedConstants: Set<String> = ["context", "resource", "rootResource", "ucum", "sct", "loinc"]

    /// Appends the children of each element of `items`, in order (items that are no element
    /// have none).
    static func appendChildren(of items: [FHIRPathValue], to result: inout [FHIRPathValue]) {
        for case .element(let element) in items {
            for child in element.children { result.append(.element(child)) }
        }
    }

    /// The items for which `criteria` is true (`where`, `exists(criteria)`).
    func filter(_ input: [FHIRPathValue], _ criteria: FHIRPathNode, frame: Frame) throws(FHIRPathError)
        -> [FHIRPathValue]
    {
        var result: [FHIRPathValue] = []
        for (index, item) in input.enumerated() {
            let single = [item]
            let inner = Frame(this: single, index: index, total: nil)
            if try booleanValue(evaluate(criteria, input: single, frame: inner), criteria) == true {
                result.append(item)
            }
        }
        return result
    }

    private func select(_ input: [FHIRPathValue], _ projection: FHIRPathNode, frame: Frame, node: FHIRPathNode)
        throws(FHIRPathError) -> [FHIRPathValue]
    {
        var result: [FHIRPathValue] = []
        for (index, item) in input.enumerated() {
            let single = [item]
            let inner = Frame(this: single, index: index, total: nil)
            result += try evaluate(projection, input: single, frame: inner)
            try checkSize(result, node)
        }
        return result
    }

    /// `repeat(projection)`: the projection applied until no new items appear. Items already
    /// seen (the same element, or an equal System value) are not projected again, so cycles end.
    private func repeatProjection(
        _ input: [FHIRPathValue], _ projection: FHIRPathNode, frame: Frame, node: FHIRPathNode
    )
        throws(FHIRPathError) -> [FHIRPathValue]
    {
        var result: [FHIRPathValue] = []
        var seenElements = Set<ObjectIdentifier>()
        // System values by type and text, so a long repeat stays linear.
        var seenValues = Set<String>()
        var pending = input
        while !pending.isEmpty {
            var next: [FHIRPathValue] = []
            for item in pending {
                for produced in try select([item], projection, frame: frame, node: node) {
                    if case .element(let element) = produced {
                        if !seenElements.insert(ObjectIdentifier(element)).inserted { continue }
                    } else if !seenValues.insert(produced.typeSpecifier.name + ":" + produced.text).inserted {
                        continue
                    }
                    result.append(produced)
                    next.append(produced)
                }
                try checkSize(result, node)
            }
            try step(node, count: next.count)
            pending = next
        }
        return result
    }

    private func sort(_ input: [FHIRPathValue], _ keys: [FHIRPathNode], frame: Frame, node: FHIRPathNode)
        throws(FHIRPathError) -> [FHIRPathValue]
    {
        var rows: [(item: FHIRPathValue, keys: [FHIRPathValue?])] = []
        for (index, item) in input.enumerated() {
            var values: [FHIRPathValue?] = []
            let inner = Frame(this: [item], index: index, total: nil)
            for key in keys {
                var expression = key
                if case .negate(let operand) = key.kind { expression = operand }
                values.append(try singleton(evaluate(expression, input: [item], frame: inner), expression))
            }
            if keys.isEmpty { values.append(item.systemValue) }
            rows.append((item, values))
        }
        var failed: FHIRPathError?
        let descending = keys.map { key -> Bool in
            if case .negate = key.kind { return true }
            return false
        }
        let sorted = rows.enumerated().sorted { lhs, rhs in
            for index in lhs.element.keys.indices {
                let a = lhs.element.keys[index]
                let b = rhs.element.keys[index]
                let isDescending = index < descending.count && descending[index]
                switch (a, b) {
                case (nil, nil): continue
                case (nil, _): return isDescending
                case (_, nil): return !isDescending
                case (let a?, let b?):
                    guard let order = FHIRPathEquality.compare(a, b), let order else {
                        failed = failed ?? failure("cannot sort by values that do not compare", at: node)
                        return lhs.offset < rhs.offset
                    }
                    if order != 0 { return isDescending ? order > 0 : order < 0 }
                }
            }
            return lhs.offset < rhs.offset
        }
        if let failed { throw failed }
        return sorted.map(\.element.item)
    }

    /// A reference resolved inside the resource's Bundle or its contained resources; nil when
    /// the target is not in the document.
    private func resolve(_ item: FHIRPathValue) -> FHIRPathValue? {
        var reference: String?
        var from: FHIRElement?
        switch item {
        case .element(let element):
            from = element
            if element.kind == .primitive {
                reference = element.value
            } else {
                reference = element.child(named: "reference")?.value
            }
        case .string(let text):
            reference = text
            from = contextElement
        default:
            return nil
        }
        guard let reference, let from else { return nil }
        if reference.hasPrefix("#") {
            let id = String(reference.dropFirst())
            var holder: FHIRElement? = from
            while let current = holder {
                if current.kind == .resource {
                    if id.isEmpty { return .element(current) }
                    for contained in current.children where contained.name == "contained" {
                        if contained.child(named: "id")?.value == id { return .element(contained) }
                    }
                }
                holder = current.parent
            }
            return nil
        }
        // Inside a Bundle: match fullUrl, or the type/id at the end of the reference.
        var node: FHIRElement? = from
        while let current = node {
            if current.kind == .resource, current.typeName == "Bundle" {
                let parts = reference.split(separator: "/")
                let typeAndId =
                    parts.count >= 2 ? (String(parts[parts.count - 2]), String(parts[parts.count - 1])) : nil
                var byTypeAndId: FHIRElement?
                for entry in current.children where entry.name == "entry" {
                    guard let resource = entry.child(named: "resource") else { continue }
                    if entry.child(named: "fullUrl")?.value == reference { return .element(resource) }
                    if let (type, id) = typeAndId, resource.typeName == type, resource.child(named: "id")?.value == id {
                        byTypeAndId = byTypeAndId ?? resource
                    }
                }
                if let byTypeAndId { return .element(byTypeAndId) }
            }
            node = current.parent
        }
        return nil
    }

    private var contextElement: FHIRElement? {
        if context.count == 1, case .element(let element) = context[0] { return element }
        return nil
    }

    private func terminologyQuestion(
        _ function: FHIRPathFunction, _ input: [FHIRPathValue], _ arguments: [FHIRPathNode], frame: Frame,
        node: FHIRPathNode
    ) throws(FHIRPathError) -> [FHIRPathValue] {
        guard !input.isEmpty else { return [] }
        let argumentValues = try evaluate(arguments[0], input: frame.this, frame: frame)
        guard let terminology = environment.terminology else {
            throw failure(
                "'\(function.rawValue)' needs terminology or profiles, and none were given to this evaluation",
                at: node, stage: .cannotEvaluate)
        }
        var result: [FHIRPathValue] = []
        for item in input {
            let answer: FHIRPathTerminologyAnswer
            switch function {
            case .memberOf:
                guard let url = argumentValues.first?.text else { return [] }
                answer = terminology.memberOf(item, valueSet: url)
            case .conformsTo:
                guard let url = argumentValues.first?.text else { return [] }
                guard case .element(let element) = item else {
                    throw failure("'conformsTo' needs a resource", at: node)
                }
                answer = terminology.conformsTo(element, profile: url)
            case .subsumes:
                guard let other = argumentValues.first else { return [] }
                answer = terminology.subsumes(item, other)
            default:
                guard let other = argumentValues.first else { return [] }
                answer = terminology.subsumes(other, item)
            }
            switch answer {
            case .yes: result.append(.boolean(true))
            case .no: result.append(.boolean(false))
            case .unknown(let reason):
                throw failure(
                    "'\(function.rawValue)' cannot be answered offline: \(reason)", at: node, stage: .cannotEvaluate)
            }
        }
        return result
    }
}
