import FHIRTestSupport
import Foundation
import Testing

/// `validate` on an XML Bundle read entry by entry (a record size limit smaller than the file):
/// an entry over the limit gets its `struct-limit` finding, as a JSON entry does; an entry within
/// it is not refused for the one-entry Bundle it is validated in; messages name the input's lines.
///
/// Findings of a streamed XML entry are placed at the entry's start: its line, and the column the
/// streaming reader gives it (libxml2's reader column when it reaches the `<entry>` tag).
@Suite struct StreamedXMLValidateCLITests {
    static let fhir = #"xmlns="http://hl7.org/fhir""#

    /// A Patient entry on one line whose name is `length` letters.
    static func patient(_ id: String, nameOf length: Int) -> String {
        #"<resource><Patient \#(fhir)><id value="\#(id)"/><name><text value=""#
            + String(repeating: "a", count: length) + #""/></name></Patient></resource>"#
    }

    /// Entry 1 (line 6) is over 1 KiB; entry 2 (line 9) has an unknown element on a line of its
    /// own (13); entry 3 (line 17) is under 1 KiB as written in the input, but over it with the
    /// collection Bundle validation puts around it.
    static let bundle = """
        <Bundle \(fhir)>
          <type value="collection"/>
          <entry>
            <resource><Patient \(fhir)><id value="p0"/><active value="true"/></Patient></resource>
          </entry>
          <entry>
            \(patient("p1", nameOf: 2000))
          </entry>
          <entry>
            <resource>
              <Patient \(fhir)>
                <id value="p2"/>
                <foo value="x"/>
              </Patient>
            </resource>
          </entry>
        <entry>\(patient("p3", nameOf: 880))</entry>
        </Bundle>

        """

    /// The findings as CSV rows split into fields (`file,line,column,severity,rule,fhirpath,message`),
    /// and the summary.
    static func validate() throws -> (exitCode: Int32, rows: [[String]], summary: String) {
        let path = try SampleRecords.temporaryFile("streamed.xml", bundle)
        let result = try CLIRunner.run(["validate", "--format", "csv", "--max-record-bytes", "1K", path])
        let rows = result.standardOutput.split(whereSeparator: \.isNewline).dropFirst().map { row in
            // The message (last) may hold commas; the fields before it do not.
            row.split(separator: ",", maxSplits: 6).map(String.init)
        }
        return (result.exitCode, rows, result.standardError)
    }

    @Test func anEntryOverTheLimitGetsItsStructLimitFindingOnce() throws {
        let (exitCode, rows, summary) = try Self.validate()
        #expect(exitCode == 65, "\(summary)")
        let refused = rows.filter { $0[5] == "Bundle.entry[1]" }
        #expect(refused.count == 1, "\(rows)")
        #expect(refused.first?[1...4] == ["6", "74", "fatal", "struct-limit"], "\(rows)")
        #expect(refused.first?[6].contains("exceeds the limit of 1024 bytes") == true, "\(rows)")
        // Read = checked + unreadable, and the unreadable one has its finding.
        #expect(summary.contains("4 records read, 3 checked, 1 unreadable"), "\(summary)")
    }

    @Test func anEntryWithinTheLimitIsNotRefusedForItsWrapper() throws {
        let (_, rows, summary) = try Self.validate()
        #expect(rows.filter { $0[4] == "struct-limit" }.map { $0[5] } == ["Bundle.entry[1]"], "\(rows)")
        // Validated: the definitions' best-practice warning on it is there.
        let entry3 = rows.filter { $0[5].hasPrefix("Bundle.entry[3]") }.map { Array($0[1...5]) }
        #expect(entry3 == [["17", "55", "warning", "dom-6", "Bundle.entry[3].resource.ofType(Patient)"]], "\(rows)")
        #expect(summary.contains("3 checked"), "\(summary)")
    }

    @Test func anUnknownElementsMessageNamesItsLineInTheInput() throws {
        let (_, rows, _) = try Self.validate()
        let unknown = try #require(rows.first { $0[4] == "struct-unknown-element" }, "\(rows)")
        let path = "Bundle.entry[2].resource.ofType(Patient).foo"
        #expect(unknown[1...5] == ["9", "55", "error", "struct-unknown-element", path], "\(unknown)")
        #expect(unknown[6].hasPrefix("unknown element <foo> (line 13) (not part of FHIR R4 Patient)"), "\(unknown[6])")
    }
}

/// The same on a JSON Bundle read entry by entry: an entry over the record size is refused for
/// its own size, once, at its start; one within it is validated, though the one-entry Bundle it
/// is validated in is over the limit; and the note that the Bundle was streamed is given even when
/// the first entry is the refused one.
@Suite struct StreamedJSONBundleValidateCLITests {
    /// Entry 0 (line 2) is over 1 KiB; entry 1 (line 3) is under it, but not with the collection
    /// Bundle around it.
    static let bundle = """
        {"resourceType":"Bundle","type":"collection","entry":[
        {"resource":{"resourceType":"Patient","id":"p0","name":[{"text":"\(String(repeating: "a", count: 1200))"}]}},
        {"resource":{"resourceType":"Patient","id":"p1","name":[{"text":"\(String(repeating: "a", count: 950))"}]}}
        ]}

        """

    @Test func anEntryIsRefusedForItsOwnSizeOnlyAndTheStreamingNoteIsGiven() throws {
        let path = try SampleRecords.temporaryFile("streamed.json", Self.bundle)
        let result = try CLIRunner.run(["validate", "--format", "csv", "--max-record-bytes", "1K", path])
        let rows = result.standardOutput.split(whereSeparator: \.isNewline).dropFirst().map { row in
            row.split(separator: ",", maxSplits: 6).map(String.init)
        }
        #expect(result.exitCode == 65, "\(result.standardError)")
        let limits = rows.filter { $0[4] == "struct-limit" }.map { Array($0[1...5]) }
        #expect(limits == [["2", "1", "fatal", "struct-limit", "Bundle.entry[0]"]], "\(rows)")
        #expect(rows.first { $0[4] == "struct-limit" }?[6].contains("record of 1270 bytes") == true, "\(rows)")
        #expect(rows.filter { $0[4] == "bundle-streamed" }.count == 1, "\(rows)")
        let entry1 = rows.filter { $0[5].hasPrefix("Bundle.entry[1]") }.map { Array($0[1...5]) }
        #expect(entry1 == [["3", "13", "warning", "dom-6", "Bundle.entry[1].resource.ofType(Patient)"]], "\(rows)")
        #expect(rows.allSatisfy { (Int($0[2]) ?? 0) >= 1 }, "a column before the line's start: \(rows)")
        #expect(result.standardError.contains("2 records read, 1 checked, 1 unreadable"), "\(result.standardError)")
    }
}
