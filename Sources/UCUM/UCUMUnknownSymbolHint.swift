/// Builds the reason for an unknown symbol, with the code that was probably meant.
enum UCUMUnknownSymbolHint {
    static func reason(for symbol: String, table: UCUMAtomTable) -> String {
        let bytes = Array(symbol.utf8)
        if let firstLetter = bytes.firstIndex(where: { !$0.isDigit }), firstLetter > 0 {
            let number = String(decoding: bytes[..<firstLetter], as: UTF8.self)
            let rest = String(decoding: bytes[firstLetter...], as: UTF8.self)
            if isUnit(rest, table) {
                return "'\(symbol)' is not a unit; join a number to a unit with '.' (write \(number).\(rest))"
            }
        }
        if let meant = UCUMHumanSpellings.table[symbol] {
            return "'\(symbol)' is not a UCUM unit; did you mean '\(meant)'?"
        }
        if table.atoms["[\(symbol)]"] != nil {
            return "'\(symbol)' is not a UCUM unit; did you mean '[\(symbol)]'?"
        }
        if let cased = caseInsensitiveMatch(symbol, table) {
            return "'\(symbol)' is not a UCUM unit; UCUM codes are case-sensitive: did you mean '\(cased)'?"
        }
        return "'\(symbol)' is not a UCUM unit"
    }

    static func isUnit(_ symbol: String, _ table: UCUMAtomTable) -> Bool {
        if table.atoms[symbol] != nil { return true }
        return table.prefixes.contains { prefix in
            symbol.hasPrefix(prefix.code)
                && table.atoms[String(symbol.utf8.dropFirst(prefix.code.utf8.count))!]?.isMetric == true
        }
    }

    static func caseInsensitiveMatch(_ symbol: String, _ table: UCUMAtomTable) -> String? {
        let lowered = symbol.lowercased()
        // Human spellings are tried before this, so `hr` is not offered as `hR` (hecto-roentgen).
        // Among several matches the most lowercase wins: `KG` suggests `kg`, not `kG` (kilogauss).
        let codes = table.atoms.keys.sorted()
        var candidates = codes.filter { $0.lowercased() == lowered }
        for prefix in table.prefixes {
            for code in codes where table.atoms[code]?.isMetric == true {
                let candidate = prefix.code + code
                if candidate.lowercased() == lowered { candidates.append(candidate) }
            }
        }
        func lowercaseCount(_ s: String) -> Int { s.unicodeScalars.filter { ("a"..."z").contains($0) }.count }
        return candidates.enumerated().max { a, b in
            (lowercaseCount(a.element), -a.offset) < (lowercaseCount(b.element), -b.offset)
        }?.element
    }
}
