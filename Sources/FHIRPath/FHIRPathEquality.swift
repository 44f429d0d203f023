import ExactArithmetic
import FHIRElementModel
import UCUM

/// FHIRPath's equality (`=`), equivalence (`~`) and ordering (`<`), with its rules for
/// precision: dates of different precision are neither equal nor unequal, decimals are
/// equivalent when equal at the lesser precision, quantities compare through UCUM.
enum FHIRPathEquality {
    // MARK: Collections

    /// `=` on collections: nil (empty) when either is empty or an item comparison has no answer.
    static func equal(_ a: [FHIRPathValue], _ b: [FHIRPathValue]) -> Bool? {
        if a.isEmpty || b.isEmpty { return nil }
        guard a.count == b.count else { return false }
        var unknown = false
        for (x, y) in zip(a, b) {
            switch itemEqual(x, y) {
            case false?: return false
            case nil: unknown = true
            default: break
            }
        }
        return unknown ? nil : true
    }

    /// `~` on collections: order does not matter; two empty collections are equivalent.
    static func equivalent(_ a: [FHIRPathValue], _ b: [FHIRPathValue]) -> Bool {
        guard a.count == b.count else { return false }
        if a.count == 1 { return itemEquivalent(a[0], b[0]) }
        var unmatched = b
        for x in a {
            guard let index = unmatched.firstIndex(where: { itemEquivalent(x, $0) }) else { return false }
            unmatched.remove(at: index)
        }
        return true
    }

    /// The collection without items equal to an earlier one, in order.
    static func distinct(_ values: [FHIRPathValue]) -> [FHIRPathValue] {
        if values.count < 2 { return values }
        var collection = DistinctCollection()
        collection.append(contentsOf: values)
        return collection.items
    }

    // MARK: Items

    static func itemEqual(_ a: FHIRPathValue, _ b: FHIRPathValue) -> Bool? {
        if case .element(let x) = a, case .element(let y) = b {
            if x === y { return true }
            if x.kind != .primitive || y.kind != .primitive, !FHIRPathTypes.quantityTypes.contains(x.typeName) {
                return deepEqual(x, y, equivalence: false)
            }
        }
        guard let sa = a.systemValue, let sb = b.systemValue else {
            if case .element = a, case .element = b { return nil }
            return false
        }
        switch (sa, sb) {
        case (.integer(let x), .integer(let y)): return x == y
        case (.boolean(let x), .boolean(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.date(let x), .date(let y)), (.dateTime(let x), .dateTime(let y)), (.time(let x), .time(let y)),
            (.date(let x), .dateTime(let y)), (.dateTime(let x), .date(let y)):
            guard let order = FHIRPathTemporal.compare(x, y) else { return false }
            return order.map { $0 == 0 }
        case (.quantity(let x), .quantity(let y)):
            // A calendar year or month is no definite duration: against UCUM `a` or `mo` there is
            // no answer.
            if x.isCalendarYearOrMonth != y.isCalendarYearOrMonth, x.calendarUnit != y.calendarUnit {
                return nil
            }
            guard let order = quantityOrder(x, y) else { return nil }
            return order == 0
        case (.typeInfo(let n1, let t1), .typeInfo(let n2, let t2)): return n1 == n2 && t1 == t2
        default:
            if let x = sa.decimalValue, let y = sb.decimalValue { return x == y }
            return false
        }
    }

    static func itemEquivalent(_ a: FHIRPathValue, _ b: FHIRPathValue) -> Bool {
        if case .element(let x) = a, case .element(let y) = b {
            if x === y { return true }
            if x.kind != .primitive || y.kind != .primitive, !FHIRPathTypes.quantityTypes.contains(x.typeName) {
                return deepEqual(x, y, equivalence: true) ?? false
            }
        }
        guard let sa = a.systemValue, let sb = b.systemValue else { return false }
        switch (sa, sb) {
        case (.boolean(let x), .boolean(let y)): return x == y
        case (.string(let x), .string(let y)): return normalized(x) == normalized(y)
        case (.date(let x), .date(let y)), (.dateTime(let x), .dateTime(let y)), (.time(let x), .time(let y)),
            (.date(let x), .dateTime(let y)), (.dateTime(let x), .date(let y)):
            guard let order = FHIRPathTemporal.compare(x, y), let order else { return false }
            return order == 0
        case (.quantity(let x), .quantity(let y)):
            guard let converted = convert(y, to: x) else { return false }
            let places = min(x.value.fractionDigits, y.value.fractionDigits)
            return x.value.rounded(toExponent: -places) == converted.rounded(toExponent: -places)
        default:
            if let x = sa.decimalValue, let y = sb.decimalValue {
                let places = min(x.fractionDigits, y.fractionDigits)
                return x.rounded(toExponent: -places) == y.rounded(toExponent: -places)
            }
            return false
        }
    }

    /// Strings as `~` compares them: case folded, whitespace runs as one space, trimmed.
    private static func normalized(_ text: String) -> String {
        var result = ""
        var pendingSpace = false
        for character in text.lowercased() {
            if character.isWhitespace {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace { result.append(" ") }
                pendingSpace = false
                result.append(character)
            }
        }
        return result
    }

    /// Complex elements compared child by child (names, order within each name, values).
    private static func deepEqual(_ x: FHIRElement, _ y: FHIRElement, equivalence: Bool) -> Bool? {
        if x.kind == .primitive, y.kind == .primitive {
            if equivalence { return itemEquivalent(.element(x), .element(y)) }
            return itemEqual(.element(x), .element(y))
        }
        let xChildren = x.children.filter { $0.name != "id" || x.kind == .resource }
        let yChildren = y.children.filter { $0.name != "id" || y.kind == .resource }
        guard xChildren.count == yChildren.count else { return false }
        if x.kind == .primitive || y.kind == .primitive { return false }
        for (a, b) in zip(xChildren, yChildren) {
            guard a.name == b.name else { return false }
            guard let same = deepEqual(a, b, equivalence: equivalence) else { return nil }
            if !same { return false }
        }
        return true
    }

    // MARK: Ordering

    /// The ordering of two System values: outer nil when they cannot be compared (an error),
    /// inner nil when the comparison has no answer (dates of different precision).
    static func compare(_ a: FHIRPathValue, _ b: FHIRPathValue) -> Int?? {
        switch (a, b) {
        case (.integer(let x), .integer(let y)):
            return .some(x == y ? 0 : (x < y ? -1 : 1))
        case (.string(let x), .string(let y)):
            return .some(x == y ? 0 : (x.unicodeScalars.lexicographicallyPrecedes(y.unicodeScalars) ? -1 : 1))
        case (.date(let x), .date(let y)), (.dateTime(let x), .dateTime(let y)), (.time(let x), .time(let y)),
            (.date(let x), .dateTime(let y)), (.dateTime(let x), .date(let y)):
            return FHIRPathTemporal.compare(x, y)
        case (.quantity(let x), .quantity(let y)):
            return .some(quantityOrder(x, y))
        default:
            if let x = a.decimalValue, let y = b.decimalValue { return .some(x == y ? 0 : (x < y ? -1 : 1)) }
            return nil
        }
    }

    // MARK: Quantities

    /// `y`'s value in `x`'s unit, or nil when the units are not commensurable.
    static func convert(_ y: FHIRPathQuantity, to x: FHIRPathQuantity) -> ExactDecimal? {
        if x.unit == y.unit { return y.value }
        if let a = x.calendarUnit, let b = y.calendarUnit, a == b { return y.value }
        do {
            return try UCUM.convert(y.value, from: y.ucumUnit, to: x.ucumUnit).value
        } catch {
            return nil
        }
    }

    static func quantityOrder(_ x: FHIRPathQuantity, _ y: FHIRPathQuantity) -> Int? {
        guard let converted = convert(y, to: x) else { return nil }
        return x.value == converted ? 0 : (x.value < converted ? -1 : 1)
    }
}

extension FHIRPathQuantity {
    /// A calendar year or month, which is not a definite duration: it equals no UCUM unit.
    var isCalendarYearOrMonth: Bool { calendarUnit == "year" || calendarUnit == "month" }
}

/// A collection kept free of items equal to an earlier one as items are appended: what `|`,
/// `union()` and `distinct()` give, built up operand by operand (`a | b | c` appends each once
/// rather than taking the distinct items of ever longer collections).
///
/// While every item is a string or a primitive element whose value is a string (references,
/// URIs, codes: what unions of paths mostly collect), the texts seen are kept in a set, so an
/// item costs one lookup; strings are equal exactly when their text is, so the result is the one
/// the pairwise comparison gives. From the first other item on, each item is compared with
/// those kept, as `=` compares them.
struct DistinctCollection {
    private(set) var items: [FHIRPathValue] = []
    /// The texts of ``items`` while all of them are strings; nil after the first that is not.
    private var texts: Set<String>? = []

    mutating func append(contentsOf values: [FHIRPathValue]) {
        // The set is sized for the first collection only; growing it for each further one
        // would rehash it each time.
        if items.isEmpty { texts?.reserveCapacity(values.count) }
        items.reserveCapacity(items.count + values.count)
        for value in values { append(value) }
    }

    mutating func append(_ value: FHIRPathValue) {
        if texts != nil, let text = Self.text(of: value) {
            if texts?.insert(text).inserted == true { items.append(value) }
            return
        }
        texts = nil
        if !items.contains(where: { FHIRPathEquality.itemEqual($0, value) == true }) { items.append(value) }
    }

    /// The text of a string or of a primitive element read as a string; nil for any other item.
    private static func text(of value: FHIRPathValue) -> String? {
        switch value {
        case .string(let string):
            return string
        case .element(let element) where element.kind == .primitive:
            guard case .string(let string)? = FHIRPathValue.systemValue(of: element) else { return nil }
            return string
        default:
            return nil
        }
    }
}
