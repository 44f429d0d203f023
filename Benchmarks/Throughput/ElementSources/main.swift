// ivig-element-throughput: single-core throughput of the element model (the resource types
// outside the IVIG set) over the official all-types corpus.
//
//   cd Benchmarks/Throughput && swift run -c release ivig-element-throughput [--runs R] [--corpus DIR] [--only NAME]
//
// DIR defaults to ../../../shared/corpus/fhir-r4/all-types (json/ and xml/ of the 691 pairs).
// Prints the median of R runs (default 5) of JSON → element → XML and XML → element → JSON, in
// MB/s of input read (10^6 bytes), on one thread; base R4 definitions loaded before timing.
// --only json-to-xml or --only xml-to-json runs one of them (for a profile of one direction).

import FHIRElementModel
import FHIRJSON
import FHIRPackages
import FHIRXML
import Foundation

var runs = 5
var corpus = "../../../shared/corpus/fhir-r4/all-types"
var only: String?
var iterator = CommandLine.arguments.dropFirst().makeIterator()
while let argument = iterator.next() {
    switch argument {
    case "--runs": runs = Int(iterator.next() ?? "") ?? runs
    case "--corpus": corpus = iterator.next() ?? corpus
    case "--only": only = iterator.next()
    default:
        FileHandle.standardError.write(Data("unknown argument \(argument)\n".utf8))
        exit(64)
    }
}

func load(_ folder: String, _ suffix: String) -> [[UInt8]] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return names.filter { $0.hasSuffix(suffix) }.sorted().compactMap {
        FileManager.default.contents(atPath: folder + "/" + $0)
    }
    .map { [UInt8]($0) }
}

let jsonFiles = load(corpus + "/json", ".json")
let xmlFiles = load(corpus + "/xml", ".xml")
guard !jsonFiles.isEmpty, !xmlFiles.isEmpty else {
    FileHandle.standardError.write(Data("no corpus at \(corpus)\n".utf8))
    exit(66)
}
let index = FHIRLayoutIndex(FHIRDefinitions.baseR4)
let jsonReader = FHIRElementJSONReader(index: index)
let xmlReader = FHIRElementXMLReader(index: index)

@MainActor func measure(_ name: String, _ inputs: [[UInt8]], _ convert: ([UInt8]) throws -> [UInt8]) {
    if let only, "element " + only != name { return }
    let bytes = inputs.reduce(0) { $0 + $1.count }
    var failures = 0
    for input in inputs where (try? convert(input)) == nil { failures += 1 }  // warm-up: every shape indexed
    var seconds: [Double] = []
    for _ in 0..<runs {
        let start = DispatchTime.now().uptimeNanoseconds
        for input in inputs { _ = try? convert(input) }
        seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    let median = seconds.sorted()[seconds.count / 2]
    print(
        String(
            format: "%@: %d documents, %.1f MB, median %.3f s, %.1f MB/s (%d not converted)",
            name, inputs.count, Double(bytes) / 1e6, median, Double(bytes) / 1e6 / median, failures))
}

measure("element json-to-xml", jsonFiles) { try FHIRElementXMLWriter().write(try jsonReader.read($0)) }
measure("element xml-to-json", xmlFiles) { try FHIRElementJSONWriter().write(try xmlReader.read($0)) }
