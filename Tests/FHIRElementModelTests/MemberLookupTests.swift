import FHIRElementModel
import FHIRPackages
import Testing

/// A shape's members looked up by a wire name, by its bytes (what the JSON reader does with a
/// key) and by its text, find exactly the wire names the definitions give the type, on every
/// type of base R4: each element's name, a choice's name with each of its types
/// (`valueQuantity`), and nothing else.
@Suite struct MemberLookupTests {
    @Test func findsTheDefinitionsWireNamesAndNothingElse() throws {
        let definitions = FHIRDefinitions.baseR4
        let index = FHIRLayoutIndex(definitions)
        var compared = 0
        for typeName in definitions.typeNames {
            guard let shape = index.shape(ofType: typeName) else { continue }
            // The wire names, worked out here from the elements, with the slot of each.
            var expected: [String: Int] = [:]
            for (slot, layout) in shape.elements.enumerated() {
                guard layout.isChoice else {
                    expected[layout.name] = slot
                    continue
                }
                for type in layout.types {
                    expected[FHIRLayoutIndex.choiceName(layout.name, FHIRLayoutIndex.normalizedType(type))] = slot
                }
            }
            // Each name, the name of a choice without its type, and near misses of each.
            for name in Set(expected.keys).union(shape.elements.map(\.name)) {
                let misses = [
                    name + "x", String(name.dropLast()), String(name.dropLast()) + "#", "x" + name.dropFirst(),
                    name.uppercased(), "_" + name,
                ]
                for candidate in [name] + misses {
                    let byBytes = Array(candidate.utf8).withUnsafeBufferPointer { shape.member(utf8: $0) }
                    let byText = shape.member(candidate)
                    #expect(byBytes === byText, "\(typeName): '\(candidate)' by its bytes and by its text")
                    #expect(
                        byText?.wireName == expected[candidate].map { _ in candidate }, "\(typeName): '\(candidate)'")
                    #expect(byText?.slot == expected[candidate], "\(typeName): '\(candidate)'")
                    compared += 1
                }
            }
        }
        #expect(compared > 10_000)
        let patient = try #require(index.shape(ofType: "Patient"))
        #expect(Array("".utf8).withUnsafeBufferPointer { patient.member(utf8: $0) } == nil)
        #expect(patient.member(String(repeating: "a", count: 300)) == nil)
        #expect(patient.member("birthDate")?.typeName == "date")
    }
}
