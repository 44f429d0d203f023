import FHIRCore
import FHIRJSON
import FHIRValidation
import FHIRXML

/// Checks the narratives of a FHIR JSON record: every resource's `text.div` (the record's own,
/// its contained resources', a Bundle's entries') must be well-formed XHTML in a `div`.
///
/// JSON carries the narrative as a string that the JSON reader does not parse, so without this
/// a broken narrative would pass `validate` and be refused only when written as XML. (An XML
/// input's narrative was parsed as XML when it was read.)
enum NarrativeCheck {
    /// The findings for `bytes`, one JSON record; each has the FHIRPath of its `div`, no location.
    static func findings(in bytes: [UInt8]) -> [ValidationFinding] {
        guard mentionsDiv(bytes), let tree = try? JSONTree.parse(bytes),
              case .object(let members) = tree, case .string(let type)? = members["resourceType"]
        else { return [] }
        var findings: [ValidationFinding] = []
        walk(tree, path: type, into: &findings)
        return findings
    }

    /// The findings for `bytes`, one entry of a JSON Bundle (`{"fullUrl": …, "resource": …}`),
    /// with paths as in a one-entry Bundle (`Bundle.entry[0].resource.ofType(Patient).text.div`).
    static func findings(inEntry bytes: [UInt8]) -> [ValidationFinding] {
        guard mentionsDiv(bytes), let tree = try? JSONTree.parse(bytes),
              case .object(let members) = tree, let resource = members["resource"]
        else { return [] }
        var findings: [ValidationFinding] = []
        walk(resource, path: childPath("Bundle.entry[0].resource", resource), into: &findings)
        return findings
    }

    /// Whether `"div"` occurs at all: most records have no narrative, and need no parse.
    private static func mentionsDiv(_ bytes: [UInt8]) -> Bool {
        let key = Array(#""div""#.utf8)
        guard bytes.count >= key.count else { return false }
        for start in 0...(bytes.count - key.count) where bytes[start] == key[0] {
            if bytes[start..<(start + key.count)].elementsEqual(key) { return true }
        }
        return false
    }

    private static func walk(_ node: JSONTree, path: String, into findings: inout [ValidationFinding]) {
        switch node {
        case .object(let members):
            if members["resourceType"] != nil, case .object(let narrative)? = members["text"],
               case .string(let div)? = narrative["div"], let problem = FHIRXHTML(div).xhtmlProblem {
                findings.append(ValidationFinding(.error, .structure, rule: "struct-narrative", problem, at: path + ".text.div"))
            }
            for (key, value) in members.sorted(by: { $0.key < $1.key }) {
                walk(value, path: childPath(path + "." + key, value), into: &findings)
            }
        case .array(let items):
            for (index, item) in items.enumerated() {
                walk(item, path: childPath("\(path)[\(index)]", item), into: &findings)
            }
        default:
            return
        }
    }

    /// A resource inside a resource is named by its type, as the validator's paths do:
    /// `Bundle.entry[0].resource.ofType(Patient)`.
    private static func childPath(_ path: String, _ value: JSONTree) -> String {
        if case .object(let members) = value, case .string(let type)? = members["resourceType"] { return path + ".ofType(\(type))" }
        return path
    }
}
