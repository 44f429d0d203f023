internal import FHIRJSON

/// Base R4 (hl7.fhir.r4.core 4.0.1) as the tool carries it: the package's StructureDefinitions,
/// ValueSets and CodeSystems reduced to what the element model, FHIRPath and validation use,
/// as minified JSON in string literals compiled into the binary (`Generated/`, written by
/// `BaseDefinitionsGenerator`).
///
/// Nothing is parsed until asked for: start-up reads the index (one line per definition) and
/// each definition is parsed from its bytes in the binary on first use.
enum BaseR4 {
    /// The package the data was generated from.
    static let manifest = PackageManifest(name: packageName, version: packageVersion, fhirVersions: ["4.0.1"])

    /// Package names that mean base R4 when a package depends on them.
    static let aliases: Set<String> = ["hl7.fhir.r4.core", "hl7.fhir.core"]

    /// Where each item lies: its chunk, byte offset and length.
    private struct Location {
        var chunk: Int
        var offset: Int
        var length: Int
    }

    /// The index and the items' locations, read once from ``index``.
    private static let table: (resources: [CanonicalResource], locations: [Location]) = {
        var resources: [CanonicalResource] = []
        var locations: [Location] = []
        index.withUTF8Buffer { buffer in
            for line in buffer.split(separator: UInt8(ascii: "\n")) {
                let fields = line.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false).map {
                    String(decoding: $0, as: UTF8.self)
                }
                guard fields.count == 11, let type = CanonicalResource.ResourceType(rawValue: fields[0]),
                    let chunk = Int(fields[8]), let offset = Int(fields[9]), let length = Int(fields[10])
                else { preconditionFailure("Generated/BaseR4+Index.swift: malformed line") }
                func optional(_ text: String) -> String? { text.isEmpty ? nil : text }
                resources.append(
                    CanonicalResource(
                        resourceType: type, url: fields[1], version: optional(fields[2]), type: optional(fields[3]),
                        kind: optional(fields[4]), derivation: optional(fields[5]), baseDefinition: optional(fields[6]),
                        isAbstract: fields[7] == "true",
                        source: .carried(item: locations.count)))
                locations.append(Location(chunk: chunk, offset: offset, length: length))
            }
        }
        return (resources, locations)
    }()

    /// Every carried definition.
    static var resources: [CanonicalResource] { table.resources }

    /// The JSON bytes of one item.
    static func bytes(item: Int) -> [UInt8] {
        let location = table.locations[item]
        return chunks[location.chunk].withUTF8Buffer { buffer in
            Array(buffer[location.offset..<(location.offset + location.length)])
        }
    }

    /// The constraints elements refer to by number (`ele-1` is on nearly every element, so it
    /// is written once).
    static let sharedConstraints: [ElementDefinition.Constraint] = {
        let bytes = constraintTable.withUTF8Buffer { Array($0) }
        guard let tree = try? JSONTree.parse(bytes) else {
            preconditionFailure("Generated/BaseR4+Index.swift: the constraint table is not JSON")
        }
        return tree.arrayValue.map { json in
            guard let constraint = try? ElementDefinition.Constraint(json: json, in: "base R4") else {
                preconditionFailure("Generated/BaseR4+Index.swift: a malformed constraint")
            }
            return constraint
        }
    }()
}
