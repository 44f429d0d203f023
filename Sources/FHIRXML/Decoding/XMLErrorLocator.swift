import FHIRCore

/// Turns a coding path into a FHIRPath and the line and column of the element it names, by
/// walking the same XML tree the decoder read.
///
/// Runs only when a diagnostic is reported, so decoding itself never builds paths.
struct XMLErrorLocator {
    let root: XMLElement
    /// The path of `root` when it is not a document root (a streamed `Bundle.entry[3]`).
    var basePath: FHIRPathBuilder?

    func locate(_ codingPath: [any CodingKey]) -> (fhirPath: String, location: SourceLocation) {
        var element = root
        var path = basePath ?? FHIRPathBuilder(root: root.name)
        var group: [XMLElement] = []
        for key in codingPath {
            if let index = key.intValue {
                path.append(index: index)
                if group.indices.contains(index) { element = enter(group[index], path: &path) }
                continue
            }
            let name = key.stringValue.hasPrefix("_") ? String(key.stringValue.dropFirst()) : key.stringValue
            if name == "resourceType" { continue }
            path.append(element: name)
            group = element.elementChildren.filter { $0.name == name }
            if let first = group.first { element = enter(first, path: &path) }
        }
        let location = SourceLocation(line: max(element.line, 1), column: max(element.column, 1), byteOffset: 0)
        return (path.expression, location)
    }

    /// Steps through a resource wrapper (`<resource><Patient>`), naming the type in the path.
    private func enter(_ element: XMLElement, path: inout FHIRPathBuilder) -> XMLElement {
        guard !element.isResourceName, let only = element.elementChildren.first, only.isResourceName else {
            return element
        }
        path.append(resourceType: only.name)
        return only
    }

    /// The diagnostic for any error a decode threw.
    func diagnostic(for error: any Error) -> FHIRDiagnostic {
        if let diagnostic = error as? FHIRDiagnostic { return diagnostic }
        guard let error = error as? DecodingError else {
            return FHIRDiagnostic(
                code: .invalidValue, message: String(describing: error),
                location: SourceLocation(line: max(root.line, 1), column: 1, byteOffset: 0))
        }
        let codingPath: [any CodingKey]
        let code: FHIRDiagnostic.Code
        let message: String
        switch error {
        case .dataCorrupted(let context):
            codingPath = context.codingPath
            let underlying = context.underlyingError as? FHIRDiagnostic
            code = underlying?.code ?? .invalidValue
            message = underlying?.message ?? context.debugDescription
        case .keyNotFound(let key, let context):
            codingPath = context.codingPath + [key]
            code = .missing
            message = "missing '\(key.stringValue)': \(context.debugDescription)"
        case .typeMismatch(_, let context):
            codingPath = context.codingPath
            code = .wrongType
            message = context.debugDescription
        case .valueNotFound(_, let context):
            codingPath = context.codingPath
            code = .missing
            message = context.debugDescription
        @unknown default:
            codingPath = []
            code = .invalidValue
            message = String(describing: error)
        }
        let (fhirPath, location) = locate(codingPath)
        return FHIRDiagnostic(code: code, message: message, fhirPath: fhirPath, location: location)
    }
}
