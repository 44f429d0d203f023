// Writes the FHIR R4 model structs from the StructureDefinitions.
//
// Usage (from the package root):
//   swift run FHIRModelGenerator ../shared/corpus/fhir-r4/definitions Sources/FHIRCore/Generated
//
// Every non-abstract complex type and resource in the folder becomes one Swift file; the
// primitive types are hand-written in FHIRCore/Primitives. The output is committed, so the
// package builds without the corpus.

import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: FHIRModelGenerator DEFINITIONS_DIR OUTPUT_DIR\n".utf8))
    exit(64)
}
let definitionsURL = URL(fileURLWithPath: arguments[1])
let outputURL = URL(fileURLWithPath: arguments[2])

do {
    let definitions = try StructureDefinitionLoader.load(from: definitionsURL)
    let model = try ModelBuilder(definitions: definitions).build()
    let valueSets = try ValueSetLoader.load(from: definitionsURL)
    let files = SwiftEmitter(model: model, valueSets: valueSets).emit()
    try FileManager.default.createDirectory(at: outputURL, withIntermediateDirectories: true)
    for old in try FileManager.default.contentsOfDirectory(atPath: outputURL.path) where old.hasSuffix(".swift") {
        try FileManager.default.removeItem(at: outputURL.appendingPathComponent(old))
    }
    for (name, text) in files.sorted(by: { $0.key < $1.key }) {
        try Data(text.utf8).write(to: outputURL.appendingPathComponent(name))
    }
    print("wrote \(files.count) files for \(model.types.count) types to \(outputURL.path)")
} catch {
    FileHandle.standardError.write(Data("FHIRModelGenerator: error: \(error)\n".utf8))
    exit(1)
}
