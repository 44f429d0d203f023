import BigInt
import ExactArithmetic

/// A parsed UCUM expression: components combined strictly left to right, each multiplied
/// (`.`) or divided (`/`) into what came before. `a/b.c` is `(a/b).c`; `a/b/c` is `a/(b.c)`.
struct UCUMTerm: Sendable {
    var components: [UCUMComponent]
}

/// One factor of a term, with the operator in front of it.
struct UCUMComponent: Sendable {
    enum Kind: Sendable {
        /// A unit with an optional prefix and an integer exponent: `mg`, `s-1`, `[in_i]2`.
        case unit(prefix: UCUMPrefix?, atom: UCUMAtom, exponent: Int)
        /// An integer factor: `12` in `/(12.h)`.
        case factor(BigInt)
        /// A parenthesized term.
        case group(UCUMTerm)
        /// An annotation alone (`{tbl}`), which is the number one.
        case unity
    }
    var kind: Kind
    /// `true` when the component divides (`/`), `false` when it multiplies.
    var divides: Bool
    /// The annotation text without braces (`copies` in `10*3{copies}`).
    var annotation: String?
    /// Byte range in the source.
    var start: Int
    var end: Int
}

extension UCUMTerm {
    /// Reduces the term to base units, asking `atomCanonical` for each atom's form (the table
    /// builder passes its resolver; everyone else the finished table).
    func canonical(
        _ atomCanonical: (String) throws(UCUMError) -> UCUMCanonicalForm
    ) throws(UCUMError) -> UCUMCanonicalForm {
        var result = UCUMCanonicalForm.unity
        for component in components {
            var form: UCUMCanonicalForm
            switch component.kind {
            case .unit(let prefix, let atom, let exponent):
                form = try atomCanonical(atom.code)
                if let prefix { form = form.scaled(by: prefix.factor) }
                form = form.power(exponent)
            case .factor(let n):
                form = UCUMCanonicalForm(factor: ExactRational(n))
            case .group(let inner):
                form = try inner.canonical(atomCanonical)
            case .unity:
                form = .unity
            }
            result = result * (component.divides ? form.power(-1) : form)
        }
        return result
    }

    /// The canonical form from the finished table.
    var canonical: UCUMCanonicalForm {
        // Atoms in a parsed term come from the finished table, so this cannot fail.
        (try? canonical { code throws(UCUMError) in
            guard let atom = UCUMAtomTable.shared.atoms[code] else {
                throw UCUMError(.unknownUnit, code, "unknown unit '\(code)'")
            }
            return atom.canonical
        }) ?? .unity
    }

    /// Every special unit in the term, at any depth.
    var specialComponents: [UCUMComponent] {
        components.flatMap { component -> [UCUMComponent] in
            switch component.kind {
            case .unit(_, let atom, _): return atom.special == nil ? [] : [component]
            case .group(let inner): return inner.specialComponents
            default: return []
            }
        }
    }

    /// The special unit and its prefix when the whole term is one special unit with exponent 1
    /// (`Cel`, `[degF]`, `dB[SPL]`, `[pH]{arterial}`), else `nil`.
    var soleSpecialUnit: (prefix: UCUMPrefix?, atom: UCUMAtom)? {
        guard components.count == 1, let only = components.first, !only.divides else { return nil }
        switch only.kind {
        case .unit(let prefix, let atom, 1) where atom.special != nil: return (prefix, atom)
        case .group(let inner): return inner.soleSpecialUnit
        default: return nil
        }
    }
}
