import FHIRElementModel
import FHIRPackages
import Testing

/// A shape's members looked up by the bytes of a wire name (what the JSON reader does with a
/// key) find what a lookup by the name's text finds, on every type of base R4.
@Suite struct MemberLookupTests {
    @Test func byBytesFindsWhatByTextFinds() throws {
        let definitions = FHIRDefinitions.baseR4
        let index = FHIRLayoutIndex(definitions)
        var compared = 0
        for typeName in definitions.typeNames {
            guard let shape = index.shape(ofType: typeName) else { continue }
            var names = shape.elements.map(\.name)
            // Every choice's wire names (`valueQuantity`), and names that are near misses of them.
            for layout in shape.elements where layout.isChoice {
                names += layout.types.map {
                    FHIRLayoutIndex.choiceName(layout.name, FHIRLayoutIndex.normalizedType($0))
                }
            }
            for name in names {
                let misses = [
                    name + "x", String(name.dropLast()), String(name.dropLast()) + "#", "x" + name.dropFirst(),
                    name.uppercased(), "_" + name,
                ]
                for candidate in [name] + misses {
                    let byBytes = Array(candidate.utf8).withUnsafeBufferPointer { shape.member(utf8: $0) }
                    #expect(
                        byBytes === shape.member(candidate), "\(typeName): '\(candidate)' looked up by its bytes")
                    compared += 1
                }
                #expect(shape.member(name) == nil || shape.member(name)?.wireName == name)
            }
        }
        #expect(compared > 10_000)
        let patient = try #require(index.shape(ofType: "Patient"))
        #expect(Array("".utf8).withUnsafeBufferPointer { patient.member(utf8: $0) } == nil)
        let long = String(repeating: "a", count: 300)
        #expect(Array(long.utf8).withUnsafeBufferPointer { patient.member(utf8: $0) } == nil)
    }
}
