import FHIRElementModel
import FHIRJSON
import FHIRPackages
import FHIRPath
import Foundation

/// The official examples read into the element model, for tests that compare two ways of
/// answering on every element of real resources.
enum CorpusElements {
    /// Calls `body` with each element (the root included) of the first `count` JSON files of
    /// `folder`, in name order, with the file's name and its root resource.
    static func forEach(
        ofFirst count: Int, in folder: URL,
        _ body: (_ file: String, _ root: FHIRElement, _ element: FHIRElement) throws -> Void
    ) throws {
        let index = FHIRLayoutIndex(FHIRDefinitions.baseR4)
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().prefix(count) {
            let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent(file)))
            let root = try FHIRElementJSONReader(index: index).read(bytes, lenient: true).0
            var pending = [root]
            while let element = pending.popLast() {
                pending.append(contentsOf: element.children)
                try body(file, root, element)
            }
        }
    }

    /// Where an invariant on `element` is evaluated, as validation evaluates it: `%resource`
    /// is the nearest resource at or above it, `%rootResource` the file's root.
    static func environment(for element: FHIRElement, root: FHIRElement) -> FHIRPathEnvironment {
        var resource = element
        while resource.kind != .resource, let parent = resource.parent { resource = parent }
        var environment = FHIRPathEnvironment(layouts: FHIRDefinitions.baseR4)
        environment.resource = resource
        environment.rootResource = root
        return environment
    }
}
