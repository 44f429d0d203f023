import FHIRXML
import Testing

@Suite struct FormatSnifferTests {
    @Test(arguments: [
        ("<Patient/>", FHIRFormatSniffer.Format.xml),
        ("  \n\t<?xml version=\"1.0\"?><Patient/>", .xml),
        ("\u{FEFF}<Patient/>", .xml),
        ("{\"resourceType\":\"Patient\"}", .json),
        ("\r\n {}", .json),
    ])
    func detectsTheFormat(text: String, format: FHIRFormatSniffer.Format) {
        #expect(FHIRFormatSniffer.detect(Array(text.utf8)) == format)
    }

    @Test(arguments: ["", "   ", "Patient", "\u{FEFF}"])
    func neitherFormat(text: String) {
        #expect(FHIRFormatSniffer.detect(Array(text.utf8)) == nil)
    }
}
