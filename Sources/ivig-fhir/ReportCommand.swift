import ArgumentParser
import FHIRCore
import FHIRValidation
import FHIRValidationIO
import Foundation
import IVIGReport

/// `ivig-fhir report`: per patient, the IVIG courses, infusions, reactions and the measures of
/// response over time, with the response the domain rules state.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Report each patient's IVIG courses, infusions, reactions and response over time.",
        discussion: """
            Reads the inputs 'validate' reads (FHIR JSON, NDJSON, XML; files, directories, '-'). \
            For each patient: the courses (dates, indication, product, dose per kg and per day, \
            dosing weight, total grams, highest rate), the infusions and their reactions, and \
            each measure of response (grip strength, MRC sum score, INCAT, adjusted INCAT, \
            I-RODS, IgG trough, platelets, temperature) with baseline, follow-up, change and the \
            response: adjusted INCAT better by 1 point or more is a responder (ICE, ProCID); \
            "not yet assessable" without follow-up. Kawasaki disease: fever after each \
            infusion's end against the 36-hour mark.

            HTML is one self-contained page (no network) with a timeline, a chart per measure \
            and a print layout.

            Examples:
              ivig-fhir report --format html --output report.html records.ndjson
              ivig-fhir report --patient ivig-pat-12 --format json big-export.ndjson
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, html }

    @Argument(help: "Files, directories, or '-' for standard input.")
    var inputs: [String] = ["-"]

    @Option(help: "Report only this patient (Patient id); repeat for several.")
    var patient: [String] = []

    @Option(help: "text, json or html.")
    var format: Format = .text

    @Option(help: "The output file (default: standard output).")
    var output: String?

    @Option(help: "The dosing rules file (default: Mappings/ivig-dosing-rules.json).")
    var rules: String?

    func run() throws {
        guard let rulesPath = rules ?? DosingRules.defaultPath() else {
            StandardStreams.writeError("error: no dosing rules file: pass --rules FILE or set IVIG_FHIR_RULES")
            throw ExitCodes.ioFailure
        }
        let dosingRules: DosingRules
        do {
            dosingRules = try DosingRules(contentsOf: rulesPath)
        } catch {
            StandardStreams.writeError("error: \(error)")
            throw ExitCodes.ioFailure
        }
        let read: (resources: [AnyResource], problems: [String])
        do {
            let records = try ReportInput(paths: inputs, patients: Set(patient)).records()
            read = (records.resources, records.problems)
        } catch {
            StandardStreams.writeError("\(error)")
            throw ExitCodes.ioFailure
        }
        for problem in read.problems { StandardStreams.writeError("warning: skipped \(problem)") }
        let reports = ReportBuilder(rules: dosingRules).reports(read.resources)
        let missing = patient.filter { id in !reports.contains { $0.patientID == id } }
        for id in missing { StandardStreams.writeError("warning: no records of patient \(id) in the input") }
        let text: String
        switch format {
        case .text: text = ReportRendering.text(reports)
        case .json: text = ReportRendering.json(reports)
        case .html: text = ReportRendering.html(reports)
        }
        do {
            if let output {
                try Data(text.utf8).write(to: URL(fileURLWithPath: output))
            } else {
                try StandardStreams.writeOut(Array(text.utf8))
            }
        } catch {
            StandardStreams.writeError("error: cannot write the report: \(error)")
            throw ExitCodes.ioFailure
        }
    }
}
