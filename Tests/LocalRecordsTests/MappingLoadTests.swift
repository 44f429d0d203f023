import Foundation
import LocalRecords
import Testing

/// A wrong mapping folder fails once, when it is loaded, saying which file and what is wrong.
@Suite struct MappingLoadTests {
    @Test func bothShippedFoldersLoad() throws {
        let ours = try LocalTestFiles.loadMappings()
        #expect(ours.conceptMapURLs.count == 6)
        let theirs = try LocalMappings.load(directory: LocalTestFiles.otherHospitalMappings)
        #expect(Set(theirs.conceptMapURLs).isDisjoint(with: ours.conceptMapURLs))
    }

    struct Broken: CustomTestStringConvertible, Sendable {
        let name: String
        let file: String
        let old: String
        let new: String
        /// Words the error must contain.
        let says: [String]
        var testDescription: String { name }
    }

    static let broken: [Broken] = [
        Broken(
            name: "a unit mapped to no UCUM code", file: "conceptmap-unit.json",
            old: #""code": "[lb_av]""#, new: #""code": "[lb_avoir]""#,
            says: ["not a UCUM code", "ivig-unit", "[lb_avoir]"]),
        Broken(
            name: "a status mapped to no FHIR status", file: "conceptmap-status.json",
            old: #""code": "completed""#, new: #""code": "complete""#,
            says: ["complete", "medicationrequest-status", "ivig-status"]),
        Broken(
            name: "a product missing from the product table", file: "conceptmap-product.json",
            old: #""code": "privigen-10""#, new: #""code": "privigen-100""#, says: ["privigen-100", "product table"]),
        Broken(
            name: "a ConceptMap element FHIR does not define", file: "conceptmap-indication.json",
            old: #""version": "1","#, new: #""version": "1", "mapsTo": "x","#,
            says: ["conceptmap-indication.json:", "mapsTo"]),
        Broken(
            name: "an unmapped default", file: "conceptmap-reaction.json",
            old: #""target": "http://snomed.info/sct","#,
            new: #""target": "http://snomed.info/sct", "unmapped": {"mode": "fixed", "code": "25064002"},"#,
            says: ["unmapped", "never a default"]),
        Broken(
            name: "a role without a local code system", file: "local-mappings.json",
            old: #""reactionAction": "#, new: #""reactionActions": "#, says: ["reactionAction", "local-mappings.json"]),
        Broken(
            name: "a ConceptMap file that is not there", file: "local-mappings.json",
            old: #""conceptmap-unit.json""#, new: #""conceptmap-units.json""#, says: ["conceptmap-units.json"]),
    ]

    @Test(arguments: broken)
    func aBrokenFolderIsRefusedWithItsReason(_ broken: Broken) throws {
        let folder = try LocalTestFiles.temporaryCopyOfMappings()
        defer { try? FileManager.default.removeItem(at: folder) }
        try LocalTestFiles.replace(broken.old, with: broken.new, in: folder.appendingPathComponent(broken.file))
        let thrown = #expect(throws: LocalRecordError.self) { _ = try LocalMappings.load(directory: folder.path) }
        #expect(thrown?.code == .invalidMappings)
        for words in broken.says {
            #expect(thrown?.description.contains(words) == true, "\(thrown?.description ?? "") should say \(words)")
        }
    }

    @Test func aFolderWithoutAManifestIsRefused() {
        let thrown = #expect(throws: LocalRecordError.self) {
            _ = try LocalMappings.load(
                directory: FileManager.default.temporaryDirectory.appendingPathComponent("no-such-mappings").path)
        }
        #expect(thrown?.description.contains("local-mappings.json") == true)
    }
}
