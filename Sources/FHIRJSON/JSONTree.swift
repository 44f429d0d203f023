public import FHIRCore

/// Any JSON value as a tree, for comparing documents by meaning: objects as unordered maps,
/// arrays in order, numbers by their exact lexeme (`1.50` is not `1.5`), strings by value.
///
/// Not used on the conversion path (the decoder reads the flat document directly); it serves
/// tests, tools and checks that need to look at JSON without a model.
public indirect enum JSONTree: Hashable, Sendable {
    case object([String: JSONTree])
    case array([JSONTree])
    case string(String)
    case number(lexeme: String)
    case bool(Bool)
    case null

    /// Parses JSON bytes with the same reader the decoder uses (duplicate keys, bad UTF-8 and
    /// bad numbers are errors).
    /// - Throws: ``FHIRDiagnostic``.
    public static func parse(_ bytes: [UInt8], maxDepth: Int = 512) throws(FHIRDiagnostic) -> JSONTree {
        tree(try JSONScanner.parse(bytes, maxDepth: maxDepth), 0)
    }

    /// Parses JSON bytes within reader limits (record size, depth, string length), as the
    /// local-record reader does.
    /// - Throws: ``FHIRDiagnostic``; past a limit, `tooLarge` or `tooDeep` naming it.
    public static func parse(_ bytes: [UInt8], limits: FHIRReadLimits) throws(FHIRDiagnostic) -> JSONTree {
        tree(try JSONScanner.parse(bytes, limits: limits), 0)
    }

    private static func tree(_ document: JSONDocument, _ index: Int) -> JSONTree {
        switch document.nodes[index].kind {
        case .object:
            var members: [String: JSONTree] = [:]
            for (key, value) in document.members(of: index) { members[key] = tree(document, value) }
            return .object(members)
        case .array: return .array(document.elements(of: index).map { tree(document, $0) })
        case .string: return .string(document.string(at: index))
        case .number: return .number(lexeme: document.lexeme(at: index))
        case .true: return .bool(true)
        case .false: return .bool(false)
        case .null: return .null
        }
    }

    /// The first difference between two trees, as a path and a description; `nil` when equal.
    /// - Parameter equivalentStrings: decides string equality at a given path (for instance,
    ///   narrative XHTML compared canonically); plain equality by default.
    public func firstDifference(
        from other: JSONTree, path: String = "",
        equivalentStrings: (String, String, String) -> Bool = { _, lhs, rhs in lhs == rhs }
    ) -> String? {
        switch (self, other) {
        case (.object(let lhs), .object(let rhs)):
            for key in Set(lhs.keys).union(rhs.keys).sorted() {
                guard let left = lhs[key] else { return "\(path).\(key): only in the second" }
                guard let right = rhs[key] else { return "\(path).\(key): only in the first" }
                if let difference = left.firstDifference(
                    from: right, path: "\(path).\(key)", equivalentStrings: equivalentStrings)
                {
                    return difference
                }
            }
            return nil
        case (.array(let lhs), .array(let rhs)):
            guard lhs.count == rhs.count else { return "\(path): \(lhs.count) elements vs \(rhs.count)" }
            for (index, pair) in zip(lhs, rhs).enumerated() {
                if let difference = pair.0.firstDifference(
                    from: pair.1, path: "\(path)[\(index)]", equivalentStrings: equivalentStrings)
                {
                    return difference
                }
            }
            return nil
        case (.string(let lhs), .string(let rhs)):
            return equivalentStrings(path, lhs, rhs) ? nil : "\(path): \"\(lhs.prefix(80))\" vs \"\(rhs.prefix(80))\""
        default:
            return self == other ? nil : "\(path): \(self.brief) vs \(other.brief)"
        }
    }

    private var brief: String {
        switch self {
        case .object: return "an object"
        case .array: return "an array"
        case .string(let text): return "\"\(text.prefix(40))\""
        case .number(let lexeme): return lexeme
        case .bool(let value): return "\(value)"
        case .null: return "null"
        }
    }
}
