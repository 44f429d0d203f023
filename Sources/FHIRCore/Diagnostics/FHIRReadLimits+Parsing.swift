extension FHIRReadLimits {
    /// Reads a size as the command line gives it: plain bytes (`1048576`) or a number with a
    /// binary suffix, `K`, `M` or `G` (also `KiB`, `MiB`, `GiB`; any case): `64M` is 64 MiB.
    ///
    /// - Returns: the size in bytes, or nil for anything else: empty, zero or negative, a
    ///   fraction, an unknown suffix, or more than `Int.max`.
    public static func parseByteSize(_ text: String) -> Int? {
        let units: [(suffix: String, shift: Int)] = [
            ("kib", 10), ("mib", 20), ("gib", 30), ("k", 10), ("m", 20), ("g", 30), ("", 0),
        ]
        let lowered = text.lowercased()
        for unit in units where lowered.hasSuffix(unit.suffix) {
            let digits = lowered.dropLast(unit.suffix.count)
            guard let number = parseCount(String(digits)) else { return nil }
            let (bytes, overflow) = number.multipliedReportingOverflow(by: 1 << unit.shift)
            return overflow ? nil : bytes
        }
        return nil
    }

    /// Reads a count (a depth, a number of entries): digits only, at least 1.
    /// - Returns: the count, or nil for anything else.
    public static func parseCount(_ text: String) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let value = Int(text), value >= 1
        else { return nil }
        return value
    }
}
