import FHIRCore
import FHIRElementModel
import FHIRJSON
import FHIRPackages
import Testing

/// One scan of a JSON document read by both the typed decoder and the element model's reader
/// (as `validate` does): each gives what it gives from the bytes, errors and limits included.
@Suite struct ScannedJSONTests {
    static let index = FHIRLayoutIndex(FHIRDefinitions.baseR4)
    static let order = Array(
        (#"{"resourceType": "MedicationRequest", "status": "active", "intent": "order", "#
            + #""medicationCodeableConcept": {"text": "IVIG"}, "subject": {"reference": "Patient/1"}}"#).utf8)

    @Test func bothReadersGiveFromTheScanWhatTheyGiveFromTheBytes() throws {
        let scanned = try FHIRScannedJSON(Self.order)
        let decoder = FHIRJSONDecoder()
        #expect(
            try decoder.decode(AnyResource.self, from: scanned) == decoder.decode(AnyResource.self, from: Self.order))
        let reader = FHIRElementJSONReader(index: Self.index)
        let fromScan = try reader.read(scanned, lenient: false).resource
        let fromBytes = try reader.read(Self.order)
        #expect(fromScan.children.map(\.wireName) == fromBytes.children.map(\.wireName))
        #expect(fromScan.child(named: "subject")?.child(named: "reference")?.value == "Patient/1")
        #expect(fromScan.child(named: "status")?.location == fromBytes.child(named: "status")?.location)
    }

    @Test func anUnknownElementIsRefusedOrDroppedAsFromTheBytes() throws {
        let bytes = Array(#"{"resourceType": "Patient", "nickname": "x", "active": true}"#.utf8)
        let scanned = try FHIRScannedJSON(bytes)
        let error = try #require(throws: FHIRDiagnostic.self) {
            try FHIRJSONDecoder().decode(AnyResource.self, from: scanned)
        }
        #expect(error.code == .unknownElement)
        let lenient = try FHIRJSONDecoder().decodeLeniently(AnyResource.self, from: scanned)
        #expect(lenient.dropped.map(\.fhirPath) == ["Patient.nickname"])
        let read = try FHIRElementJSONReader(index: Self.index).read(scanned, lenient: true)
        #expect(
            read.dropped.map(\.fhirPath) == ["Patient.nickname"] && read.resource.children.map(\.name) == ["active"])
    }

    @Test func aReaderWithOtherLimitsScansAgainWithItsOwn() throws {
        let scanned = try FHIRScannedJSON(Self.order)
        var shallow = FHIRReadLimits.default
        shallow.maxDepth = 1
        let decoderError = try #require(throws: FHIRDiagnostic.self) {
            try FHIRJSONDecoder(limits: shallow).decode(AnyResource.self, from: scanned)
        }
        #expect(decoderError.code == .tooDeep)
        let readerError = try #require(throws: FHIRDiagnostic.self) {
            try FHIRElementJSONReader(index: Self.index, limits: shallow).read(scanned, lenient: false)
        }
        #expect(readerError.code == .tooDeep)
    }

    @Test func aBundleOverTheEntryLimitIsRefusedFromTheScan() throws {
        var limits = FHIRReadLimits.default
        limits.maxBundleEntries = 1
        let bundle = Array(
            (#"{"resourceType": "Bundle", "type": "collection", "entry": ["#
                + #"{"resource": {"resourceType": "Patient"}}, {"resource": {"resourceType": "Patient"}}]}"#).utf8)
        let scanned = try FHIRScannedJSON(bundle, limits: limits)
        let error = try #require(throws: FHIRDiagnostic.self) {
            try FHIRJSONDecoder(limits: limits).decode(AnyResource.self, from: scanned)
        }
        #expect(error.fhirPath == "Bundle.entry" && error.message.contains("2 entries, too many"))
    }

    @Test func whatTheScannerRefusesIsRefusedOnce() {
        let error = #expect(throws: FHIRDiagnostic.self) { try FHIRScannedJSON(Array(#"{"a": 1, "a": 2}"#.utf8)) }
        #expect(error?.code == .duplicateKey)
    }
}
