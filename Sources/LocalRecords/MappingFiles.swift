#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif
internal import FHIRCore
internal import FHIRJSON

/// Reading the files of a mapping folder, with errors that name the file.
enum MappingFiles {
    /// `name` resolved against `directory` (absolute names stay as they are).
    static func path(_ name: String, in directory: String) -> String {
        if name.hasPrefix("/") { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    static func bytes(atPath path: String) throws(LocalRecordError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LocalRecordError(.invalidMappings, "cannot read the mapping file \(path)")
        }
        return [UInt8](data)
    }

    /// A JSON file as a tree (exact numbers), for the manifest and the product table.
    static func tree(atPath path: String) throws(LocalRecordError) -> JSONTree {
        let data = try bytes(atPath: path)
        do throws(FHIRDiagnostic) {
            return try JSONTree.parse(data)
        } catch {
            throw LocalRecordError(.invalidMappings, error.inFile(path).description)
        }
    }
}

/// Small typed accessors over a JSON tree for the mapping files, with errors naming the file and key.
struct MappingJSON {
    let tree: JSONTree
    let file: String
    let path: String

    init(_ tree: JSONTree, file: String, path: String = "") {
        self.tree = tree
        self.file = file
        self.path = path
    }

    func member(_ key: String) throws(LocalRecordError) -> MappingJSON {
        guard case .object(let members) = tree, let value = members[key] else {
            throw LocalRecordError(.invalidMappings, "\(file): \(path.isEmpty ? "the file" : path) has no \"\(key)\"")
        }
        return MappingJSON(value, file: file, path: path.isEmpty ? key : path + "." + key)
    }

    func string() throws(LocalRecordError) -> String {
        guard case .string(let text) = tree, !text.isEmpty else { throw wrong("a non-empty string") }
        return text
    }

    func number() throws(LocalRecordError) -> String {
        if case .number(let lexeme) = tree { return lexeme }
        if case .string(let text) = tree, FHIRDecimal.isValid(text) { return text }
        throw wrong("a number")
    }

    func array() throws(LocalRecordError) -> [MappingJSON] {
        guard case .array(let elements) = tree else { throw wrong("an array") }
        return elements.enumerated().map { MappingJSON($1, file: file, path: "\(path)[\($0)]") }
    }

    private func wrong(_ expected: String) -> LocalRecordError {
        LocalRecordError(.invalidMappings, "\(file): \(path) must be \(expected), found \(LocalJSONText.brief(tree))")
    }
}
