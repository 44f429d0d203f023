/// Every function the engine knows, with the number of arguments it takes: the parser checks
/// calls against this table, so an unknown function or a wrong count is an error before any
/// evaluation.
enum FHIRPathFunction: String, Sendable, CaseIterable {
    // Existence
    case empty, exists, all, allTrue, anyTrue, allFalse, anyFalse, subsetOf, supersetOf, count, distinct, isDistinct
    // Filtering and projection
    case `where`, select, `repeat`, ofType
    // Subsetting
    case single, first, last, tail, skip, take, intersect, exclude
    // Combining
    case union, combine
    // Conversion
    case iif, toBoolean, convertsToBoolean, toInteger, convertsToInteger, toLong, convertsToLong
    case toDecimal, convertsToDecimal, toString, convertsToString, toDate, convertsToDate
    case toDateTime, convertsToDateTime, toTime, convertsToTime, toQuantity, convertsToQuantity
    // Strings
    case indexOf, lastIndexOf, substring, startsWith, endsWith, contains, upper, lower, replace
    case matches, matchesFull, replaceMatches, length, toChars, encode, decode, escape, unescape, trim, split, join
    // Math
    case abs, ceiling, exp, floor, ln, log, power, round, sqrt, truncate
    // Tree navigation
    case children, descendants
    // Utility
    case trace, now, timeOfDay, today, defineVariable
    // Aggregates, boolean, types, ordering, precision
    case aggregate, not, `is`, `as`, type, sort
    case lowBoundary, highBoundary, precision, comparable
    // FHIR additions (FHIR R4 §2.1.9.1)
    case `extension`, hasValue, getValue, resolve, memberOf, conformsTo, htmlChecks
    case subsumes, subsumedBy, elementDefinition, slice, checkModifiers

    /// The least and most arguments (nil: any number).
    var arity: (min: Int, max: Int?) {
        switch self {
        case .empty, .allTrue, .anyTrue, .allFalse, .anyFalse, .count, .distinct, .isDistinct, .single, .first, .last,
            .tail, .toBoolean, .convertsToBoolean, .toInteger, .convertsToInteger, .toLong, .convertsToLong, .toDecimal,
            .convertsToDecimal, .toString, .convertsToString, .toDate, .convertsToDate, .toDateTime,
            .convertsToDateTime, .toTime, .convertsToTime, .upper, .lower, .length, .toChars, .trim, .abs, .ceiling,
            .exp, .floor, .ln, .sqrt, .truncate, .children, .descendants, .now, .timeOfDay, .today, .not, .type,
            .precision, .hasValue, .getValue, .resolve, .htmlChecks, .elementDefinition:
            return (0, 0)
        case .exists, .toQuantity, .convertsToQuantity, .round, .join, .lowBoundary, .highBoundary:
            return (0, 1)
        case .all, .subsetOf, .supersetOf, .where, .select, .repeat, .ofType, .skip, .take, .intersect, .exclude,
            .union, .combine, .indexOf, .lastIndexOf, .startsWith, .endsWith, .contains, .matches, .matchesFull,
            .encode, .decode, .escape, .unescape, .split, .log, .power, .is, .as, .comparable, .extension, .memberOf,
            .conformsTo, .subsumes, .subsumedBy, .checkModifiers:
            return (1, 1)
        case .substring, .trace, .defineVariable, .aggregate:
            return (1, 2)
        case .iif:
            return (2, 3)
        case .replace, .replaceMatches, .slice:
            return (2, 2)
        case .sort:
            return (0, nil)
        }
    }

    /// Functions whose arguments are evaluated once per input item with `$this` bound, rather
    /// than once against the context.
    var takesIteratedArguments: Bool {
        switch self {
        case .all, .where, .select, .repeat, .exists, .aggregate, .sort: return true
        default: return false
        }
    }

    /// Whether the argument at `index` is evaluated once per input item with `$this` bound
    /// (all of them for those functions, but for `aggregate`'s initial value).
    func evaluatesPerItem(argument index: Int) -> Bool {
        takesIteratedArguments && !(self == .aggregate && index == 1)
    }

    /// Functions whose result is more than a value computed from their input and arguments:
    /// `trace` reports, `defineVariable` defines a variable, `now()` and the like read the clock.
    var isImpure: Bool {
        switch self {
        case .trace, .defineVariable, .now, .today, .timeOfDay: return true
        default: return false
        }
    }

    /// Functions whose argument is a type name, not an expression.
    var takesTypeArgument: Bool { self == .ofType || self == .is || self == .as }

    /// Looks a function up by the name written in an expression.
    static func named(_ name: String) -> FHIRPathFunction? {
        return FHIRPathFunction(rawValue: name)
    }
}
