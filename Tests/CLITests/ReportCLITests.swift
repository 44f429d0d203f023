import FHIRTestSupport
import Foundation
import Testing

/// The seed stories of `Examples/local`, converted to FHIR and reported, as a user would.
enum ReportStories {
    static let names = ["mmn-first-course", "kawasaki-infant", "cidp-induction-maintenance"]

    /// Each story as FHIR NDJSON in a temporary folder (converted once by the built binary).
    static let files: [String: URL] = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ivig-report-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var files: [String: URL] = [:]
        for name in names {
            let local = SharedCorpus.packageRoot.appendingPathComponent("Examples/local/\(name).ndjson")
            guard let result = try? CLIRunner.run(["convert", "--from", "local", "--to", "ndjson", local.path]),
                  result.exitCode == 0 else { continue }
            let file = folder.appendingPathComponent("\(name).ndjson")
            try? Data(result.outputBytes).write(to: file)
            files[name] = file
        }
        return files
    }()

    /// `report --format json` of some stories, parsed.
    static func json(_ stories: [String], extra: [String] = []) throws -> [[String: Any]] {
        let paths = try stories.map { try #require(files[$0]).path }
        let result = try CLIRunner.run(["report", "--format", "json"] + extra + paths)
        #expect(result.exitCode == 0, "\(result.standardError)")
        let root = try #require(JSONSerialization.jsonObject(with: Data(result.outputBytes)) as? [String: Any])
        return try #require(root["patients"] as? [[String: Any]])
    }

    static func measure(_ patient: [String: Any], _ name: String) throws -> [String: Any] {
        let measures = try #require(patient["measures"] as? [[String: Any]])
        return try #require(measures.first { $0["name"] as? String == name })
    }
}

/// `ivig-fhir report` on the seed stories: the responses the domain rules state.
@Suite struct ReportCLITests {
    @Test func mmnFirstCourseShowsGripStrengthBeforeAndTwoWeeksAfter() throws {
        let patient = try #require(try ReportStories.json(["mmn-first-course"]).first)
        let courses = try #require(patient["courses"] as? [[String: Any]])
        #expect(courses.count == 1)
        #expect(courses[0]["indication"] as? String == "MMN")
        #expect(courses[0]["product"] as? String == "Gammagard Liquid 10%")
        #expect(courses[0]["totalGrams"] as? String == "150 g")
        #expect(courses[0]["dosingWeight"] as? String == "78.4 kg")
        let grip = try ReportStories.measure(patient, "Grip strength, right hand")
        #expect(grip["baseline"] as? String == "22.5 kg")
        #expect(grip["followUp"] as? String == "27.0 kg")
        #expect(grip["change"] as? String == "+4.5 kg")
        #expect((grip["response"] as? String)?.hasPrefix("improved 2 weeks after the course") == true)
        #expect((grip["points"] as? [[String: Any]])?.count == 2)
    }

    @Test func kawasakiInfantHasPersistentFeverAfterTheFirstDoseAndNoneAfterTheSecond() throws {
        let patient = try #require(try ReportStories.json(["kawasaki-infant"]).first)
        #expect((patient["courses"] as? [[String: Any]])?.count == 2)
        let fever = try #require(patient["fever"] as? [[String: Any]])
        #expect(fever.count == 2)
        #expect((fever[0]["verdict"] as? String)?.hasPrefix("fever persists 36 h after the infusion ended") == true, "\(fever[0])")
        #expect((fever[0]["verdict"] as? String)?.contains("a second 2 g/kg dose is indicated") == true)
        #expect(fever[0]["mark36h"] as? String == "2026-05-13T07:05Z")  // 21:05+02:00 plus 36 h
        #expect((fever[1]["verdict"] as? String)?.hasPrefix("afebrile") == true, "\(fever[1])")
    }

    @Test func cidpInductionAndMaintenanceIsAnINCATResponder() throws {
        let patient = try #require(try ReportStories.json(["cidp-induction-maintenance"]).first)
        let courses = try #require(patient["courses"] as? [[String: Any]])
        #expect(courses.map { $0["orderID"] as? String } == ["CIDP-IND", "CIDP-MNT"])
        #expect(courses[0]["totalGrams"] as? String == "125 g")
        let incat = try ReportStories.measure(patient, "INCAT disability score")
        #expect(incat["baseline"] as? String == "4")
        #expect((incat["response"] as? String)?.hasPrefix("responder: INCAT better by") == true, "\(incat)")
        // The IgG trough was measured only in maintenance: no baseline.
        let igg = try ReportStories.measure(patient, "IgG trough")
        #expect((igg["response"] as? String)?.hasPrefix("not yet assessable") == true)
        let reactions = try #require(patient["reactions"] as? [[String: Any]])
        #expect(reactions.count == 1)
        #expect(reactions[0]["rateAtOnset"] as? String == "320 mL/hr")
    }

    @Test func aPatientIsReportedAloneFromSeveralInputs() throws {
        let patients = try ReportStories.json(ReportStories.names, extra: ["--patient", "MRN-0098765"])
        #expect(patients.map { $0["patientID"] as? String } == ["MRN-0098765"])
        #expect((patients[0]["infusions"] as? [[String: Any]])?.count == 2)
    }

    @Test func textNamesTheResponses() throws {
        let paths = try ReportStories.names.map { try #require(ReportStories.files[$0]).path }
        let result = try CLIRunner.run(["report"] + paths)
        #expect(result.exitCode == 0)
        #expect(result.standardOutput.contains("Patient MRN-0051234"))
        #expect(result.standardOutput.contains("responder: INCAT better by"))
    }
}
