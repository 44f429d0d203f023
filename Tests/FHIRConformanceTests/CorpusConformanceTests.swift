import FHIRConformance
import FHIRTestSupport
import FHIRValidation
import FHIRValidationIO
import Foundation
import Testing

/// Every official R4 example in ../shared/corpus/fhir-r4 validated from the definitions: no
/// error finding except those the examples really have, each listed with its reason.
@Suite struct CorpusConformanceTests {
    static let folders = [
        "json", "xml", "published-json", "published-json-all", "all-types/json", "all-types/xml",
        "fhir-test-cases/json", "fhir-test-cases/xml",
    ]

    /// The errors the official examples really have (`folder/file rule FHIRPath`), with why.
    static let realErrors: [String: String] = [:]

    /// The error findings of every file of a folder, as `folder/file rule FHIRPath`, checked on
    /// every core.
    static func errors(in folder: String, check: ConformanceCheck) -> (files: Int, errors: [String])? {
        guard let url = SharedCorpus.url("fhir-r4/" + folder),
            let names = try? FileManager.default.contentsOfDirectory(atPath: url.path)
        else { return nil }
        let files = names.filter { $0.hasSuffix(".json") || $0.hasSuffix(".xml") }.sorted()
        let results = Results(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            let name = files[index]
            guard let data = FileManager.default.contents(atPath: url.appendingPathComponent(name).path) else { return }
            let outcome = check.check([UInt8](data), format: name.hasSuffix(".xml") ? .xml : .json)
            results.set(index, outcome.findings.filter(\.severity.isError).map {
                "\(folder)/\(name) \($0.ruleID) \($0.fhirPath ?? "-")"
            })
        }
        return (files.count, results.all.flatMap { $0 })
    }

    /// One slot per file, filled from several threads.
    final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var slots: [[String]]
        init(count: Int) { slots = Array(repeating: [], count: count) }
        func set(_ index: Int, _ value: [String]) { lock.withLock { slots[index] = value } }
        var all: [[String]] { lock.withLock { slots } }
    }

    @Test func officialExamplesHaveOnlyTheirRealErrors() throws {
        let check = ConformanceCheck(validator: ConformanceValidator())
        var found: [String] = []
        var files = 0
        for folder in Self.folders {
            guard let result = Self.errors(in: folder, check: check) else {
                print(SharedCorpus.absentMessage)
                return
            }
            files += result.files
            found += result.errors
        }
        var perRule: [String: Int] = [:]
        for error in found { perRule[String(error.split(separator: " ")[1]), default: 0] += 1 }
        print("official examples: \(files) files, \(found.count) errors; by rule: \(perRule.sorted { $0.key < $1.key })")
        #expect(files > 2_000)
        let unexpected = found.filter { Self.realErrors[$0] == nil }
        #expect(unexpected.isEmpty, "\(unexpected.count) unexpected: \(unexpected.prefix(60).joined(separator: "\n"))")
        let gone = Set(Self.realErrors.keys).subtracting(found)
        #expect(gone.isEmpty, "listed but no longer found: \(gone.sorted())")
    }
}
