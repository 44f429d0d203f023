/// Renders a term as words, in the style of Ucum-java and UCUM's functional tests:
/// `4.[pi].10*-7.N/A2` → `4 * (the number pi) * (the number ten for arbitrary powers ^ -7) * (newton) / (ampère ^ 2)`.
enum UCUMDisplayName {
    static func render(_ term: UCUMTerm) -> String {
        if term.components.isEmpty { return "(unity)" }
        var out = ""
        for (i, component) in term.components.enumerated() {
            if i == 0 {
                if component.divides { out += "1 / " }
            } else {
                out += component.divides ? " / " : " * "
            }
            out += render(component)
        }
        return out
    }

    private static func render(_ component: UCUMComponent) -> String {
        var text: String
        switch component.kind {
        case .unit(let prefix, let atom, let exponent):
            text = "(" + (prefix?.name ?? "") + atom.name + (exponent == 1 ? "" : " ^ \(exponent)") + ")"
        case .factor(let n):
            text = "\(n)"
        case .group(let inner):
            text = "(" + render(inner) + ")"
        case .unity:
            return "{\(component.annotation ?? "")}"
        }
        if let annotation = component.annotation { text += " {\(annotation)}" }
        return text
    }
}
