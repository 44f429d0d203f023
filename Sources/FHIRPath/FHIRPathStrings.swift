/// FHIRPath's string functions. Positions count characters (grapheme clusters), as a person
/// reading the text would.
enum FHIRPathStrings {
    static func apply(_ function: FHIRPathFunction, _ text: String, _ strings: [String?], _ integers: [Int?])
        throws(FHIRPathArithmeticFailure) -> [FHIRPathValue]
    {
        let characters = Array(text)
        switch function {
        case .indexOf, .lastIndexOf:
            guard let needle = strings[0] else { return [] }
            let pattern = Array(needle)
            if pattern.isEmpty { return [.integer(function == .indexOf ? 0 : characters.count)] }
            guard characters.count >= pattern.count else { return [.integer(-1)] }
            let starts = Array(0...(characters.count - pattern.count))
            let ordered = function == .indexOf ? starts : starts.reversed()
            for start in ordered where Array(characters[start..<(start + pattern.count)]) == pattern {
                return [.integer(start)]
            }
            return [.integer(-1)]
        case .substring:
            guard let start = integers[0] else { return [] }
            guard start >= 0, start < characters.count else { return [] }
            var end = characters.count
            if integers.count > 1 {
                guard let length = integers[1] else { return [.string(String(characters[start...]))] }
                end = min(characters.count, start + max(0, length))
            }
            return [.string(String(characters[start..<end]))]
        case .startsWith:
            guard let prefix = strings[0] else { return [] }
            return [.boolean(text.hasPrefix(prefix))]
        case .endsWith:
            guard let suffix = strings[0] else { return [] }
            return [.boolean(text.hasSuffix(suffix))]
        case .contains:
            guard let part = strings[0] else { return [] }
            return [.boolean(part.isEmpty || text.contains(part))]
        case .upper:
            return [.string(text.uppercased())]
        case .lower:
            return [.string(text.lowercased())]
        case .replace:
            guard let pattern = strings[0], let substitution = strings[1] else { return [] }
            if pattern.isEmpty {
                // An empty pattern surrounds every character with the substitution.
                return [.string(substitution + characters.map { String($0) + substitution }.joined())]
            }
            return [
                .string(
                    text.split(separator: pattern, omittingEmptySubsequences: false).joined(separator: substitution))
            ]
        case .matches, .matchesFull:
            guard let pattern = strings[0] else { return [] }
            let regex = try FHIRPathRegex.compile(pattern)
            if function == .matchesFull { return [.boolean(text.wholeMatch(of: regex) != nil)] }
            return [.boolean(text.contains(regex))]
        case .replaceMatches:
            guard let pattern = strings[0], let substitution = strings[1] else { return [] }
            if pattern.isEmpty { return [.string(text)] }
            return [.string(try FHIRPathRegex.replace(text, pattern, substitution))]
        case .length:
            return [.integer(characters.count)]
        case .toChars:
            return characters.map { .string(String($0)) }
        case .trim:
            var trimmed = Substring(text)
            while trimmed.first?.isWhitespace == true { trimmed = trimmed.dropFirst() }
            while trimmed.last?.isWhitespace == true { trimmed = trimmed.dropLast() }
            return [.string(String(trimmed))]
        case .split:
            guard let separator = strings[0] else { return [] }
            if separator.isEmpty { return characters.map { .string(String($0)) } }
            return text.split(separator: separator, omittingEmptySubsequences: false).map { .string(String($0)) }
        case .encode, .decode:
            guard let format = strings[0] else { return [] }
            let result =
                function == .encode ? FHIRPathEncoding.encode(text, format) : FHIRPathEncoding.decode(text, format)
            return result.map { [.string($0)] } ?? []
        case .escape, .unescape:
            guard let format = strings[0] else { return [] }
            let result =
                function == .escape ? FHIRPathEncoding.escape(text, format) : FHIRPathEncoding.unescape(text, format)
            return result.map { [.string($0)] } ?? []
        default:
            return []
        }
    }
}

/// Regular expressions for `matches` and `replaceMatches`, through the standard library's
/// Regex. That engine backtracks, so patterns that can take exponential time (an unbounded
/// repetition of a group that itself repeats without bound or alternates: `(a+)+`, `(a|aa)*`)
/// are refused with an error rather than run.
enum FHIRPathRegex {
    /// The longest pattern accepted.
    static let maximumPatternLength = 4096

    static func compile(_ pattern: String) throws(FHIRPathArithmeticFailure) -> Regex<AnyRegexOutput> {
        guard pattern.count <= maximumPatternLength else {
            throw FHIRPathArithmeticFailure(
                message: "regular expression is longer than \(maximumPatternLength) characters")
        }
        if let problem = exponentialRisk(pattern) {
            throw FHIRPathArithmeticFailure(message: "regular expression refused: \(problem)")
        }
        do {
            return try Regex(pattern).dotMatchesNewlines()
        } catch {
            throw FHIRPathArithmeticFailure(message: "invalid regular expression '\(pattern)': \(error)")
        }
    }

    /// Why the pattern could take exponential time, or nil.
    static func exponentialRisk(_ pattern: String) -> String? {
        struct Group { var repeatsUnbounded = false, alternates = false }
        let scalars = Array(pattern.unicodeScalars)
        var stack: [Group] = [Group()]
        var index = 0
        func unboundedQuantifier(at position: Int) -> Bool {
            guard position < scalars.count else { return false }
            switch scalars[position] {
            case "*", "+": return true
            case "{":
                var cursor = position + 1
                while cursor < scalars.count, scalars[cursor] != "}" {
                    if scalars[cursor] == "," { return cursor + 1 < scalars.count && scalars[cursor + 1] == "}" }
                    cursor += 1
                }
                return false
            default: return false
            }
        }
        while index < scalars.count {
            let c = scalars[index]
            switch c {
            case "\\":
                index += 1
                if unboundedQuantifier(at: index + 1) { stack[stack.count - 1].repeatsUnbounded = true }
            case "[":
                index += 1
                if index < scalars.count, scalars[index] == "^" { index += 1 }
                if index < scalars.count, scalars[index] == "]" { index += 1 }
                while index < scalars.count, scalars[index] != "]" {
                    if scalars[index] == "\\" { index += 1 }
                    index += 1
                }
                if unboundedQuantifier(at: index + 1) { stack[stack.count - 1].repeatsUnbounded = true }
            case "(":
                stack.append(Group())
            case ")":
                guard stack.count > 1 else { break }
                let group = stack.removeLast()
                if unboundedQuantifier(at: index + 1) {
                    if group.repeatsUnbounded || group.alternates {
                        return
                            "a group that repeats without bound contains another unbounded repetition or an alternation"
                    }
                    stack[stack.count - 1].repeatsUnbounded = true
                } else if group.repeatsUnbounded {
                    stack[stack.count - 1].repeatsUnbounded = true
                }
            case "|":
                stack[stack.count - 1].alternates = true
            default:
                if unboundedQuantifier(at: index + 1) { stack[stack.count - 1].repeatsUnbounded = true }
            }
            index += 1
        }
        return nil
    }

    /// `replaceMatches`: every match replaced by `substitution`, where `$1`… name groups.
    static func replace(_ text: String, _ pattern: String, _ substitution: String) throws(FHIRPathArithmeticFailure)
        -> String
    {
        let regex = try compile(pattern)
        var result = ""
        var cursor = text.startIndex
        for match in text.matches(of: regex) {
            result += text[cursor..<match.range.lowerBound]
            var chars = Array(substitution)
            var position = 0
            while position < chars.count {
                if chars[position] == "$", position + 1 < chars.count, let group = chars[position + 1].wholeNumberValue
                {
                    if group < match.output.count, let captured = match.output[group].substring { result += captured }
                    position += 2
                    continue
                }
                result.append(chars[position])
                position += 1
            }
            chars.removeAll()
            cursor = match.range.upperBound
            if match.range.isEmpty {
                if cursor < text.endIndex {
                    result.append(text[cursor])
                    cursor = text.index(after: cursor)
                } else {
                    break
                }
            }
        }
        if cursor <= text.endIndex { result += text[cursor...] }
        return result
    }
}
