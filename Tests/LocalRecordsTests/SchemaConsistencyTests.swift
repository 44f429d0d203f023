import FHIRJSON
import FHIRTestSupport
import Foundation
import LocalRecords
import Testing

/// `Mappings/local-record.schema.json` says what the reader does: the same fields, the same
/// required ones, and the examples use every field (so the round trip covers every field).
@Suite struct SchemaConsistencyTests {
    static func schemaKind(_ kind: String) throws -> (properties: Set<String>, required: Set<String>) {
        let url = SharedCorpus.packageRoot.appendingPathComponent("Mappings/local-record.schema.json")
        guard case .object(let root) = try JSONTree.parse(LocalTestFiles.bytes(url)),
            case .object(let defs)? = root["$defs"], case .object(let definition)? = defs[kind],
            case .object(let properties)? = definition["properties"],
            case .array(let required)? = definition["required"]
        else {
            throw SchemaError.shape(kind)
        }
        return (Set(properties.keys), Set(required.compactMap { if case .string(let name) = $0 { name } else { nil } }))
    }

    enum SchemaError: Error { case shape(String) }

    /// Every example record of a kind, as a JSON object (Foundation here only edits test input).
    static func examples(of kind: String) throws -> [[String: Any]] {
        var records: [[String: Any]] = []
        for name in try LocalTestFiles.exampleNames() {
            for line in LocalNDJSON.lines(try LocalTestFiles.ndjson(name)) {
                let object = try JSONSerialization.jsonObject(with: Data(line.bytes)) as! [String: Any]
                if object["kind"] as? String == kind { records.append(object) }
            }
        }
        return records
    }

    @Test(arguments: LocalRecordKind.allCases)
    func theExamplesUseExactlyTheSchemasFields(kind: LocalRecordKind) throws {
        let schema = try Self.schemaKind(kind.rawValue)
        let used = Set(try Self.examples(of: kind.rawValue).flatMap(\.keys))
        #expect(
            used == schema.properties,
            "only in the schema: \(schema.properties.subtracting(used)); only in the examples: \(used.subtracting(schema.properties))"
        )
    }

    @Test(arguments: LocalRecordKind.allCases)
    func theReaderRequiresWhatTheSchemaRequires(kind: LocalRecordKind) throws {
        let schema = try Self.schemaKind(kind.rawValue)
        // The example with the most fields, so that every optional one can be taken away too.
        let example = try #require(try Self.examples(of: kind.rawValue).max { $0.count < $1.count })
        for field in example.keys.sorted() where field != "kind" {
            var edited = example
            edited[field] = nil
            let bytes = [UInt8](try JSONSerialization.data(withJSONObject: edited))
            if schema.required.contains(field) {
                let thrown = #expect(throws: LocalRecordError.self, "\(kind) without \(field)") {
                    _ = try LocalRecordReader().record(fromJSON: bytes)
                }
                #expect(thrown?.code == .missingField && thrown?.field == field, "\(thrown?.description ?? "")")
            } else {
                #expect(throws: Never.self, "\(kind) without optional \(field)") {
                    _ = try LocalRecordReader().record(fromJSON: bytes)
                }
            }
        }
    }
}
