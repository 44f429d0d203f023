import ExactArithmetic
import Foundation
import UCUM

/// Parsed UCUM units and conversion factors, shared by every check: the same few units
/// (`g/kg`, `mL/kg/h`, `kg`) recur in every order, and parsing them again each time is a
/// tenth of validation's time on a batch. Bounded, so hostile input with endless distinct
/// units cannot grow it without limit.
final class UnitCache: @unchecked Sendable {
    static let shared = UnitCache()

    private let lock = NSLock()
    private var units: [String: UCUMUnit?] = [:]
    private var factors: [String: ExactRational?] = [:]
    private let limit = 4096

    /// The unit a code names, or `nil` when the code is not valid UCUM.
    func unit(_ code: String) -> UCUMUnit? {
        lock.lock()
        if let cached = units[code] {
            lock.unlock()
            return cached
        }
        lock.unlock()
        let parsed = try? UCUM.parse(code)
        lock.lock()
        if units.count < limit { units[code] = parsed }
        lock.unlock()
        return parsed
    }

    /// The exact factor from one unit to another (`mL/kg/h` → `mL/kg/min` is 1/60), or `nil`
    /// when they are not commensurable or one is a special unit (`Cel`) that converts by a function.
    func factor(from source: String, to target: String) -> ExactRational? {
        let key = source + "\u{0}" + target
        lock.lock()
        if let cached = factors[key] {
            lock.unlock()
            return cached
        }
        lock.unlock()
        var factor: ExactRational?
        if let from = unit(source), let to = unit(target), !from.containsSpecialUnit, !to.containsSpecialUnit,
            from.isCommensurable(with: to)
        {
            factor = from.canonical.factor.dividing(by: to.canonical.factor)
        }
        lock.lock()
        if factors.count < limit { factors[key] = factor }
        lock.unlock()
        return factor
    }
}
