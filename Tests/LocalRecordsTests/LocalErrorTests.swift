import FHIRCore
import Foundation
import LocalRecords
import Testing

/// No guessing: every record that cannot be mapped is an error that names the record (kind, id,
/// file and line), the field, the value and, for codes and units, the ConceptMap searched.
@Suite struct LocalErrorTests {
    /// One broken record: a real example line with one edit, and what the error must name.
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let file: String
        let recordID: String
        let edit: (old: String, new: String)
        let code: LocalRecordError.Code
        let field: String
        let value: String?
        let conceptMap: String?
        var testDescription: String { name }
    }

    static let base = "https://infusion.example-hospital.org/fhir/ConceptMap/"
    static let cases: [Case] = [
        Case(
            name: "unknown indication", file: "gbs", recordID: "GBS-ORD-1",
            edit: (#""indication":"GBS""#, #""indication":"GBX""#),
            code: .unknownCode, field: "indication", value: #""GBX""#, conceptMap: base + "ivig-indication"),
        Case(
            name: "unknown product", file: "gbs", recordID: "GBS-INF-2",
            edit: (#""product":"FLEB10""#, #""product":"FLEBO-10""#),
            code: .unknownCode, field: "product", value: #""FLEBO-10""#, conceptMap: base + "ivig-product"),
        Case(
            name: "unknown assessment type", file: "mmn-first-course", recordID: "MMN-A-4",
            edit: (#""type":"MRC""#, #""type":"MRCSS""#),
            code: .unknownCode, field: "type", value: #""MRCSS""#, conceptMap: base + "ivig-assessment-kind"),
        Case(
            name: "unknown reaction type", file: "cidp-induction-maintenance", recordID: "CIDP-R-1",
            edit: (#""type":"HA""#, #""type":"HEADACHE""#),
            code: .unknownCode, field: "type", value: #""HEADACHE""#, conceptMap: base + "ivig-reaction"),
        Case(
            name: "unknown status", file: "kawasaki-infant", recordID: "KD-INF-1",
            edit: (#""status":"DONE","nurse""#, #""status":"COMPLETE","nurse""#),
            code: .unknownCode, field: "status", value: #""COMPLETE""#, conceptMap: base + "ivig-status"),
        Case(
            name: "unit not in the unit map", file: "gbs", recordID: "GBS-ORD-1",
            edit: (#""dose_per_day":{"value":35,"unit":"g"}"#, #""dose_per_day":{"value":35,"unit":"grams"}"#),
            code: .unknownUnit, field: "dose_per_day.unit", value: #""grams""#, conceptMap: base + "ivig-unit"),
        Case(
            name: "unit not in the unit map, in a rate step", file: "gbs", recordID: "GBS-INF-3",
            edit: (#""rate":{"value":50,"unit":"mL/hr"}"#, #""rate":{"value":50,"unit":"cc/hr"}"#),
            code: .unknownUnit, field: "rate_steps[0].rate.unit", value: #""cc/hr""#, conceptMap: base + "ivig-unit"),
        Case(
            name: "a weight in millilitres", file: "gbs", recordID: "GBS-ORD-1",
            edit: (#""weight":{"value":82.5,"unit":"kg"}"#, #""weight":{"value":82.5,"unit":"mL"}"#),
            code: .invalidValue, field: "weight.unit", value: #""mL""#, conceptMap: base + "ivig-unit"),
        Case(
            name: "missing indication", file: "gbs", recordID: "GBS-ORD-1", edit: (#""indication":"GBS","#, ""),
            code: .missingField, field: "indication", value: nil, conceptMap: nil),
        Case(
            name: "missing weight", file: "gbs", recordID: "GBS-ORD-1",
            edit: (#""weight":{"value":82.5,"unit":"kg"},"#, ""),
            code: .missingField, field: "weight", value: nil, conceptMap: nil),
        Case(
            name: "missing unit of a dose", file: "gbs", recordID: "GBS-ORD-1",
            edit: (#""dose_per_day":{"value":35,"unit":"g"}"#, #""dose_per_day":{"value":35}"#),
            code: .missingField, field: "dose_per_day.unit", value: nil, conceptMap: nil),
        Case(
            name: "days as a string", file: "gbs", recordID: "GBS-ORD-1", edit: (#""days":5"#, #""days":"5""#),
            code: .wrongType, field: "days", value: #""5""#, conceptMap: nil),
        Case(
            name: "days with a fraction", file: "gbs", recordID: "GBS-ORD-1", edit: (#""days":5"#, #""days":4.5"#),
            code: .invalidValue, field: "days", value: "4.5", conceptMap: nil),
        Case(
            name: "weight as text", file: "gbs", recordID: "GBS-ORD-1",
            edit: (#""weight":{"value":82.5,"unit":"kg"}"#, #""weight":"82.5 kg""#),
            code: .wrongType, field: "weight", value: #""82.5 kg""#, conceptMap: nil),
        Case(
            name: "a dose value as a string", file: "gbs", recordID: "GBS-ORD-1",
            edit: (#""dose_per_day":{"value":35,"#, #""dose_per_day":{"value":"35","#),
            code: .wrongType, field: "dose_per_day.value", value: #""35""#, conceptMap: nil),
        Case(
            name: "serious as a string", file: "cidp-induction-maintenance", recordID: "CIDP-R-1",
            edit: (#""serious":false"#, #""serious":"no""#),
            code: .wrongType, field: "serious", value: #""no""#, conceptMap: nil),
        Case(
            name: "a date that is no date", file: "gbs", recordID: "GBS-ORD-1",
            edit: (#""ordered_at":"2026-10-05T14:00:00+02:00""#, #""ordered_at":"05/10/2026 14:00""#),
            code: .invalidValue, field: "ordered_at", value: #""05/10/2026 14:00""#, conceptMap: nil),
        Case(
            name: "a maintenance interval no longer than its course", file: "cidp-induction-maintenance",
            recordID: "CIDP-MNT",
            edit: (#""interval":{"value":3,"unit":"wk"}"#, #""interval":{"value":12,"unit":"h"}"#),
            code: .invalidValue, field: "interval", value: "12 h", conceptMap: nil),
        Case(
            name: "a field the schema does not have", file: "gbs", recordID: "GBS-A-2",
            edit: (#""type":"MRC","#, #""type":"MRC","bed":"12","#),
            code: .unknownField, field: "bed", value: #""12""#, conceptMap: nil),
    ]

    /// The example line of `recordID` with the case's edit applied, and its line number.
    static func brokenLine(_ testCase: Case) throws -> LocalLine {
        let lines = LocalNDJSON.lines(try LocalTestFiles.ndjson(testCase.file), file: testCase.file + ".ndjson")
        var line = try #require(
            lines.first { String(decoding: $0.bytes, as: UTF8.self).contains(#""id":"\#(testCase.recordID)""#) })
        let text = String(decoding: line.bytes, as: UTF8.self)
        try #require(text.contains(testCase.edit.old), "the example line no longer contains \(testCase.edit.old)")
        line.bytes = Array(text.replacingOccurrences(of: testCase.edit.old, with: testCase.edit.new).utf8)
        return line
    }

    @Test(arguments: cases)
    func errorNamesRecordFieldValueAndConceptMap(_ testCase: Case) throws {
        let line = try Self.brokenLine(testCase)
        let toFHIR = LocalToFHIR(mappings: try LocalTestFiles.loadMappings())
        let thrown = #expect(throws: LocalRecordError.self) {
            _ = try toFHIR.resources(forLine: line.bytes, origin: line.origin)
        }
        let error = try #require(thrown)
        #expect(error.code == testCase.code)
        #expect(error.recordID == testCase.recordID)
        #expect(error.line == line.origin.line)
        #expect(error.field == testCase.field)
        #expect(error.value == testCase.value)
        let message = error.description
        #expect(message.hasPrefix("\(testCase.file).ndjson:\(line.origin.line!): error: "), "\(message)")
        #expect(message.contains(#""\#(testCase.recordID)""#), "\(message)")
        #expect(message.contains(#"field "\#(testCase.field)""#), "\(message)")
        if let value = testCase.value { #expect(message.contains(value), "\(message)") }
        if let conceptMap = testCase.conceptMap {
            #expect(error.conceptMap?.contains(conceptMap) == true, "\(error.conceptMap ?? "no ConceptMap")")
            #expect(message.contains(conceptMap), "\(message)")
        }
        // The batch pipeline's view of the same problem.
        #expect(error.diagnostic.location?.line == line.origin.line)
        #expect(error.diagnostic.message.contains(testCase.recordID))
    }

    @Test func aBatchRejectsTheBadRecordAndKeepsTheRest() throws {
        var text = String(decoding: try LocalTestFiles.ndjson("gbs"), as: UTF8.self)
        text = text.replacingOccurrences(
            of: #""product":"FLEB10","lot":"IBGC4D0019""#, with: #""product":"IVIG?","lot":"IBGC4D0019""#)
        text += "this is not JSON\n"
        let (bundle, rejects) = LocalToFHIR(mappings: try LocalTestFiles.loadMappings()).bundle(
            forNDJSON: Array(text.utf8), file: "gbs.ndjson")
        let lines = LocalNDJSON.lines(Array(text.utf8))
        #expect(bundle.entry.count + rejects.count == lines.count)
        #expect(rejects.map(\.recordID) == ["GBS-INF-4", "GBS-INF-5", nil])
        #expect(rejects.map(\.line) == [8, 9, 11])
        #expect(rejects[2].code == .notARecord)
        #expect(rejects[2].description.hasPrefix("gbs.ndjson:11: error: "))
    }

    @Test func nullAndEmptyValuesAreRefusedNotDropped() throws {
        let toFHIR = LocalToFHIR(mappings: try LocalTestFiles.loadMappings())
        let base = String(decoding: try Self.brokenLine(Self.cases[0]).bytes, as: UTF8.self)
            .replacingOccurrences(of: #""indication":"GBX""#, with: #""indication":"GBS""#)
        for (edited, field) in [
            (base.replacingOccurrences(of: #""height":{"value":178,"unit":"cm"}"#, with: #""height":null"#), "height"),
            (base.replacingOccurrences(of: #""prescriber":"DR-LINDQVIST""#, with: #""prescriber":"""#), "prescriber"),
        ] {
            let thrown = #expect(throws: LocalRecordError.self) {
                _ = try toFHIR.resources(forLine: Array(edited.utf8), origin: .init())
            }
            #expect(thrown?.field == field)
            #expect(thrown?.code == (field == "height" ? .wrongType : .invalidValue))
        }
    }
}
