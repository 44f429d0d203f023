import FHIRCore
import FHIRJSON
import Foundation
import LocalRecords
import Testing

/// A second hospital, with its own codes, code systems and unit list for the same things
/// (`Mappings/examples/other-hospital/`), gets the same FHIR out, and its own records back.
@Suite struct OtherHospitalTests {
    @Test(arguments: try LocalTestFiles.exampleNames())
    func sameRecordsInOtherCodesGiveTheSameFHIR(name: String) throws {
        let ours = try LocalTestFiles.loadMappings()
        let theirs = try LocalMappings.load(directory: LocalTestFiles.otherHospitalMappings)
        #expect(theirs.hospital != ours.hospital)
        let theirLines = try LocalTestFiles.ndjson(name, in: LocalTestFiles.otherHospitalExamples)
        #expect(theirLines != (try LocalTestFiles.ndjson(name)), "the second hospital's file should use its own codes")

        let ourBundle = LocalToFHIR(mappings: ours).bundle(forNDJSON: try LocalTestFiles.ndjson(name))
        let theirBundle = LocalToFHIR(mappings: theirs).bundle(forNDJSON: theirLines)
        #expect(
            ourBundle.rejects.isEmpty && theirBundle.rejects.isEmpty,
            "\((ourBundle.rejects + theirBundle.rejects).map(\.description))")
        let ourJSON = try JSONTree.parse(FHIRJSONEncoder().encode(AnyResource.bundle(ourBundle.bundle)))
        let theirJSON = try JSONTree.parse(FHIRJSONEncoder().encode(AnyResource.bundle(theirBundle.bundle)))
        #expect(ourJSON.firstDifference(from: theirJSON) == nil, "\(ourJSON.firstDifference(from: theirJSON) ?? "")")

        // And FHIR goes back into each hospital's own codes.
        let back = try FHIRToLocal(mappings: theirs).records(for: .bundle(ourBundle.bundle))
        #expect(LocalRecordWriter().ndjson(back) == theirLines)
    }

    @Test func theOtherHospitalRefusesOurCodes() throws {
        let theirs = try LocalMappings.load(directory: LocalTestFiles.otherHospitalMappings)
        let line = LocalNDJSON.lines(try LocalTestFiles.ndjson("gbs")).first {
            String(decoding: $0.bytes, as: UTF8.self).contains(#""kind":"order""#)
        }!
        #expect {
            _ = try LocalToFHIR(mappings: theirs).resources(forLine: line.bytes, origin: line.origin)
        } throws: { error in
            let error = error as! LocalRecordError
            // The order's status is looked up first: "DONE" is the first hospital's code, not theirs.
            return error.code == .unknownCode && error.field == "status" && error.value == #""DONE""#
                && error.conceptMap?.contains("https://ivig.other-hospital.example.org/fhir/ConceptMap/ivig-status")
                    == true
        }
    }
}
