import FHIRCore

/// An exact decimal as an integer count of 10^-scale, for the arithmetic the samples need
/// (weight × dose, rate conversions) without `Double` and without a big-number library.
///
/// The text keeps as many decimals as `scale` says, trailing zeros included (`72.50`), which is
/// exactly the variety FHIR decimals must survive.
struct ScaledDecimal: Hashable, Sendable {
    var units: Int
    var scale: Int

    init(_ units: Int, scale: Int = 0) {
        self.units = units
        self.scale = scale
    }

    /// Parses plain decimal text (`"0.5"`, `"100"`), as written in the product table.
    init(_ text: String) {
        var units = 0, scale = 0, seenPoint = false
        for byte in text.utf8 {
            if byte == UInt8(ascii: ".") {
                seenPoint = true
                continue
            }
            units = units * 10 + Int(byte - UInt8(ascii: "0"))
            if seenPoint { scale += 1 }
        }
        self.init(units, scale: scale)
    }

    static func * (lhs: Self, rhs: Self) -> Self { Self(lhs.units * rhs.units, scale: lhs.scale + rhs.scale) }

    /// The value with `scale` decimals; exact only when no non-zero digit is dropped (checked).
    func rescaled(to newScale: Int) -> Self {
        if newScale >= scale { return Self(units * power(newScale - scale), scale: newScale) }
        let divisor = power(scale - newScale)
        precondition(units % divisor == 0, "rescaling \(text) to \(newScale) decimals would round")
        return Self(units / divisor, scale: newScale)
    }

    /// The value divided by `divisor`, rounded half-up to `newScale` decimals (for amounts a
    /// device would display rounded anyway).
    func divided(by divisor: Int, scale newScale: Int) -> Self {
        let numerator = units * power(newScale)
        let denominator = power(scale) * divisor
        return Self((2 * numerator + denominator) / (2 * denominator), scale: newScale)
    }

    /// The same value with trailing zero decimals removed (`29.00` → `29`).
    var trimmed: Self {
        var result = self
        while result.scale > 0 && result.units % 10 == 0 {
            result.units /= 10
            result.scale -= 1
        }
        return result
    }

    var text: String {
        let negative = units < 0
        var digits = String(negative ? -units : units)
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return negative ? "-" + digits : digits
    }

    var fhir: FHIRDecimal { checked { try FHIRDecimal(text) } }

    private func power(_ exponent: Int) -> Int { (0..<exponent).reduce(1) { result, _ in result * 10 } }
}

/// Runs an initializer whose input the generator built itself; a failure is a bug in the
/// generator, not bad input, so it stops with the reason.
func checked<T>(_ make: () throws -> T) -> T {
    do {
        return try make()
    } catch {
        preconditionFailure("IVIGSamples built an invalid value: \(error)")
    }
}
