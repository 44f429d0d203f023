import FHIRCore
import Testing

@testable import FHIRXML

/// The fast XML reader reads the elements of one name in a row as one repeating member: every
/// item lands in order, and a member repeated further on is treated as before (the fast path
/// gives up, or reads what the Codable path reads).
@Suite struct XMLRepeatingMembersTests {
    static func patient(_ members: String) -> [UInt8] {
        Array(#"<Patient xmlns="http://hl7.org/fhir"><id value="p"/>\#(members)</Patient>"#.utf8)
    }

    static let contained = (1...3).map { #"<contained><Medication><id value="m\#($0)"/></Medication></contained>"# }
    static let extensions = (1...4).map {
        #"<extension url="http://example.org/e\#($0)"><valueInteger value="\#($0)"/></extension>"#
    }
    static let identifiers = (1...2).map { #"<identifier><value value="i\#($0)"/></identifier>"# }

    static var codable: FHIRXMLDecoder {
        var decoder = FHIRXMLDecoder()
        decoder.useFastPath = false
        return decoder
    }

    @Test func itemsInARowAreReadInOrder() throws {
        let bytes = Self.patient((Self.contained + Self.extensions + Self.identifiers).joined())
        let fast = try #require(FHIRXMLDecoder().fastDecode(AnyResource.self, from: bytes))
        #expect(fast == (try Self.codable.decode(AnyResource.self, from: bytes)))
        guard case .patient(let patient) = fast else {
            Issue.record("not a Patient: \(fast)")
            return
        }
        #expect(patient.contained.count == 3)
        #expect(patient.extension.map(\.url) == (1...4).map { "http://example.org/e\($0)" })
        #expect(patient.identifier.compactMap { $0.value?.value } == ["i1", "i2"])
    }

    @Test func aMemberRepeatedAfterAnotherIsLeftToTheCodablePath() throws {
        let bytes = Self.patient([Self.extensions[0], Self.identifiers[0], Self.extensions[1]].joined())
        #expect(FHIRXMLDecoder().fastDecode(AnyResource.self, from: bytes) == nil)
        // Decoding still gives whatever the Codable path gives.
        let codable = Result { try Self.codable.decode(AnyResource.self, from: bytes) }
        let decoded = Result { try FHIRXMLDecoder().decode(AnyResource.self, from: bytes) }
        #expect((try? codable.get()) == (try? decoded.get()))
    }
}
