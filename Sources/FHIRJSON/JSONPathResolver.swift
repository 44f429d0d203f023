import FHIRCore

/// Turns a decoding failure's coding path into a FHIRPath and a line and column, by walking the
/// path through the document. Only runs when something is reported.
struct JSONPathResolver {
    let document: JSONDocument

    /// The node the path reaches, or the deepest node on the way when the rest is missing.
    private func walk(_ path: [any CodingKey]) -> (node: Int, fhirPath: String) {
        var node = 0
        var builder = FHIRPathBuilder(root: resourceType(of: 0) ?? "")
        for key in path {
            guard let next = step(from: node, key) else { break }
            builder.append(key)
            node = next
            if let type = resourceType(of: node) { builder.append(resourceType: type) }
        }
        return (node, builder.expression)
    }

    private func step(from node: Int, _ key: any CodingKey) -> Int? {
        switch document.nodes[node].kind {
        case .object:
            return document.members(of: node).first { $0.key == key.stringValue }?.value
        case .array:
            guard let index = key.intValue else { return nil }
            let elements = document.elements(of: node)
            return index < elements.count ? elements[index] : nil
        default:
            return nil
        }
    }

    /// The `resourceType` of an object node, if it is a resource.
    private func resourceType(of node: Int) -> String? {
        guard document.nodes[node].kind == .object,
            let value = document.members(of: node).first(where: { $0.key == "resourceType" })?.value,
            document.nodes[value].kind == .string
        else { return nil }
        return document.string(at: value)
    }

    func fhirPath(_ path: [any CodingKey]) -> String { walk(path).fhirPath }

    func location(_ path: [any CodingKey]) -> SourceLocation { document.location(of: walk(path).node) }

    func diagnostic(for error: DecodingError) -> FHIRDiagnostic {
        let context: DecodingError.Context
        var code = FHIRDiagnostic.Code.invalidValue
        var message: String
        switch error {
        case .keyNotFound(let key, let ctx):
            context = ctx
            code = .missing
            message = "missing '\(key.stringValue)'"
        case .typeMismatch(let type, let ctx):
            context = ctx
            code = .wrongType
            message = "expected \(type): \(ctx.debugDescription)"
        case .valueNotFound(_, let ctx), .dataCorrupted(let ctx):
            context = ctx
            message = ctx.debugDescription
        @unknown default:
            return FHIRDiagnostic(code: .invalidValue, message: "\(error)")
        }
        if let underlying = context.underlyingError as? FHIRDiagnostic {
            code = underlying.code
            message = underlying.message
        }
        let (node, fhirPath) = walk(context.codingPath)
        return FHIRDiagnostic(code: code, message: message, fhirPath: fhirPath, location: document.location(of: node))
    }
}
