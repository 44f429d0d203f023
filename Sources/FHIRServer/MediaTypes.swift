/// The media types `serve` reads and writes, and the choice of one from `Content-Type`,
/// `Accept` and `_format`, as FHIR's RESTful API describes
/// (https://hl7.org/fhir/R4/http.html#mime-type).
enum MediaTypes {
    static let fhirJSON = "application/fhir+json"
    static let fhirXML = "application/fhir+xml"
    static let fhirNDJSON = "application/fhir+ndjson"
    static let plainText = "text/plain"

    /// The `Content-Type` for a syntax, with the charset FHIR requires.
    static func contentType(_ syntax: ResourceSyntax) -> String {
        switch syntax {
        case .json: fhirJSON + "; charset=utf-8"
        case .xml: fhirXML + "; charset=utf-8"
        case .ndjson: fhirNDJSON + "; charset=utf-8"
        }
    }

    /// The syntax a media type names (parameters such as `charset` ignored), or `_format`'s short
    /// names (`json`, `xml`, `ndjson`); nil when it names none the server writes or reads.
    static func syntax(named value: some StringProtocol) -> ResourceSyntax? {
        let type = value.split(separator: ";", maxSplits: 1).first.map { $0.trimmingSpaces.lowercased() } ?? ""
        switch type {
        case "json", "application/fhir+json", "application/json", "application/json+fhir", "text/json":
            return .json
        case "xml", "application/fhir+xml", "application/xml", "application/xml+fhir", "text/xml":
            return .xml
        case "ndjson", "application/fhir+ndjson", "application/ndjson", "application/x-ndjson", "application/jsonl":
            return .ndjson
        default:
            return nil
        }
    }

    /// What an `Accept` header asks for.
    enum Acceptance: Equatable {
        /// Anything (no header, or `*/*`, `application/*`): the server picks.
        case any
        /// These syntaxes, most preferred first.
        case syntaxes([ResourceSyntax])
        /// Only types the server cannot write.
        case nothingWritable
    }

    /// Reads an `Accept` header: its types ordered by quality (`q`), the server's own first on ties.
    static func acceptance(_ header: String?) -> Acceptance {
        guard let header, !header.trimmingSpaces.isEmpty else { return .any }
        var ranked: [(syntax: ResourceSyntax?, wildcard: Bool, quality: Double, order: Int)] = []
        for (order, item) in header.split(separator: ",").enumerated() {
            let parts = item.split(separator: ";")
            guard let type = parts.first?.trimmingSpaces.lowercased(), !type.isEmpty else { continue }
            var quality = 1.0
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1)
                if pair.count == 2, pair[0].trimmingSpaces.lowercased() == "q" {
                    quality = Double(pair[1].trimmingSpaces) ?? 0
                }
            }
            guard quality > 0 else { continue }
            let wildcard = type == "*/*" || type == "application/*"
            ranked.append((syntax(named: type), wildcard, quality, order))
        }
        ranked.sort { $0.quality != $1.quality ? $0.quality > $1.quality : $0.order < $1.order }
        var syntaxes: [ResourceSyntax] = []
        for entry in ranked {
            if entry.wildcard { return syntaxes.isEmpty ? .any : .syntaxes(syntaxes) }
            if let syntax = entry.syntax, !syntaxes.contains(syntax) { syntaxes.append(syntax) }
        }
        return syntaxes.isEmpty ? .nothingWritable : .syntaxes(syntaxes)
    }

    /// Whether an `Accept-Encoding` header takes gzip (`gzip` or `*`, with a quality above 0).
    static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";")
            guard let coding = parts.first?.trimmingSpaces.lowercased(),
                coding == "gzip" || coding == "x-gzip" || coding == "*"
            else { continue }
            let refused = parts.dropFirst().contains { parameter in
                let pair = parameter.split(separator: "=", maxSplits: 1)
                return pair.count == 2 && pair[0].trimmingSpaces.lowercased() == "q"
                    && (Double(pair[1].trimmingSpaces) ?? 0) == 0
            }
            if !refused { return true }
        }
        return false
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs (HTTP's optional whitespace).
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
