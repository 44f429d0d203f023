// ivig-throughput: library-level single-core throughput of the FHIR codecs on IVIG records.
//
//   cd Benchmarks/Throughput && swift run -c release ivig-throughput [--input FILE.ndjson | --megabytes N] [--runs R] [--mode M] [--jobs J]
//
// Without --input it generates N MB (default 32) of sample NDJSON in memory (IVIGSamples, seed 1).
// Modes: all (default), json-decode, json-encode, xml-decode, xml-encode, json-to-xml, xml-to-json,
// and bundle-to-json: the records as one XML Bundle file (written next to the input, or to
// $TMPDIR), read entry by entry as the batch convert reads it (FHIRXMLBundleEntryReader) and
// written as JSON.
// The XML input is the same records, one XML document per record, written by FHIRXMLEncoder.
// Each mode prints the median of R runs (default 5) in MB/s and resources/s, where MB are 10^6
// bytes of the format read (decode, conversion) or written (encode). With --jobs J the conversions
// (json-to-xml, xml-to-json) run on J threads, each over its share of the records.

import FHIRCore
import FHIRJSON
import FHIRXML
import Foundation
import IVIGSamples

struct Options {
    var input: String?
    var megabytes = 32
    var runs = 5
    var mode = "all"
    var subsetMegabytes = 32
    var jobs = 1

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--input": input = iterator.next()
            case "--megabytes": megabytes = Int(iterator.next() ?? "") ?? megabytes
            case "--runs": runs = Int(iterator.next() ?? "") ?? runs
            case "--mode": mode = iterator.next() ?? mode
            case "--subset-megabytes": subsetMegabytes = Int(iterator.next() ?? "") ?? subsetMegabytes
            case "--jobs": jobs = max(1, Int(iterator.next() ?? "") ?? jobs)
            default:
                FileHandle.standardError.write(Data("unknown argument \(argument)\n".utf8))
                exit(64)
            }
        }
    }
}

/// Records held as one byte buffer plus the range of each record, so a 200 MB file is one allocation.
struct Records {
    var bytes: [UInt8] = []
    var ranges: [Swift.Range<Int>] = []

    var count: Int { ranges.count }

    mutating func append(_ record: some Collection<UInt8>) {
        let start = bytes.count
        bytes.append(contentsOf: record)
        ranges.append(start..<bytes.count)
    }

    func record(_ index: Int) -> [UInt8] { Array(bytes[ranges[index]]) }

    /// Splits NDJSON into lines (empty lines skipped).
    init(ndjson: [UInt8]) {
        bytes = ndjson
        var start = 0
        ndjson.withUnsafeBufferPointer { buffer in
            for index in buffer.indices where buffer[index] == UInt8(ascii: "\n") {
                if index > start { ranges.append(start..<index) }
                start = index + 1
            }
        }
        if start < ndjson.count { ranges.append(start..<ndjson.count) }
    }

    init() {}
}

func megabytesPerSecond(_ bytes: Int, _ duration: Swift.Duration) -> Double {
    Double(bytes) / 1e6 / (Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
}

func seconds(_ duration: Swift.Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1
        ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

/// Runs `body` `runs` times; it returns the bytes it counts. Prints the median throughput.
func measure(_ name: String, runs: Int, resources: Int, _ body: () throws -> Int) rethrows {
    var rates: [Double] = []
    var resourceRates: [Double] = []
    var bytes = 0
    for _ in 0..<runs {
        let clock = ContinuousClock()
        let start = clock.now
        bytes = try body()
        let elapsed = clock.now - start
        rates.append(megabytesPerSecond(bytes, elapsed))
        resourceRates.append(Double(resources) / seconds(elapsed))
    }
    let spread = "min \(String(format: "%.1f", rates.min() ?? 0)), max \(String(format: "%.1f", rates.max() ?? 0))"
    print(
        String(
            format: "%-12@ %8.1f MB/s  %9.0f resources/s  (median of %d; %@; %.1f MB, %d resources)",
            name as NSString, median(rates), median(resourceRates), runs, spread as NSString,
            Double(bytes) / 1e6, resources))
}

let options = Options(CommandLine.arguments)
let json: Records
if let input = options.input {
    guard let data = FileManager.default.contents(atPath: input) else {
        FileHandle.standardError.write(Data("cannot read \(input)\n".utf8))
        exit(74)
    }
    json = Records(ndjson: [UInt8](data))
} else {
    var generated: [UInt8] = []
    try IVIGSampleWriter(format: .ndjson).write(count: options.megabytes * 1_000_000 / 1100, seed: 1) {
        generated += $0
    }
    json = Records(ndjson: generated)
}
print(
    "input: \(json.count) resources, \(String(format: "%.1f", Double(json.bytes.count) / 1e6)) MB of NDJSON,"
        + " \(json.bytes.count / max(json.count, 1)) B per resource on average")

let modes =
    options.mode == "all"
    ? ["json-decode", "json-encode", "xml-decode", "xml-encode", "json-to-xml", "xml-to-json"] : [options.mode]
let jsonDecoder = FHIRJSONDecoder(), jsonEncoder = FHIRJSONEncoder()
let xmlDecoder = FHIRXMLDecoder(), xmlEncoder = FHIRXMLEncoder()

/// The first records up to `subsetMegabytes`, decoded once, for the decode-only and encode-only modes
/// (holding every model of a 200 MB file would measure the allocator, not the codecs).
let subsetCount: Int = {
    var bytes = 0, count = 0
    while count < json.count && bytes < options.subsetMegabytes * 1_000_000 {
        bytes += json.ranges[count].count
        count += 1
    }
    return count
}()

/// The same records as XML documents, built once when a mode reads XML.
let xmlRecords: Records = try {
    var records = Records()
    guard modes.contains(where: { $0.hasPrefix("xml-decode") || $0.hasPrefix("xml-to") || $0.hasPrefix("bundle") })
    else { return records }
    for index in 0..<json.count {
        records.append(try xmlEncoder.encode(try jsonDecoder.decode(AnyResource.self, from: json.record(index))))
    }
    print("xml input: \(records.count) documents, \(String(format: "%.1f", Double(records.bytes.count) / 1e6)) MB")
    return records
}()

/// Converts every record (JSON → XML or XML → JSON) on `jobs` threads, each over a contiguous
/// share; returns the bytes read.
func convertInParallel(_ source: Records, jobs: Int, toXML: Bool) throws -> Int {
    let failures = Failures()
    DispatchQueue.concurrentPerform(iterations: jobs) { job in
        let share = (source.count + jobs - 1) / jobs
        let range = (job * share)..<min(source.count, (job + 1) * share)
        do {
            for index in range {
                let record = source.record(index)
                if toXML {
                    _ = try FHIRXMLEncoder().encode(try FHIRJSONDecoder().decode(AnyResource.self, from: record))
                } else {
                    _ = try FHIRJSONEncoder().encode(try FHIRXMLDecoder().decode(AnyResource.self, from: record))
                }
            }
        } catch {
            failures.record(error)
        }
    }
    if let error = failures.first { throw error }
    return source.bytes.count
}

/// The first error of any worker thread.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [any Error] = []
    func record(_ error: any Error) { lock.withLock { errors.append(error) } }
    var first: (any Error)? { lock.withLock { errors.first } }
}

for mode in modes {
    switch mode {
    case "json-decode":
        try measure(mode, runs: options.runs, resources: subsetCount) {
            var bytes = 0
            for index in 0..<subsetCount {
                let record = json.record(index)
                bytes += record.count
                _ = try jsonDecoder.decode(AnyResource.self, from: record)
            }
            return bytes
        }
    case "json-encode", "xml-encode":
        let models = try (0..<subsetCount).map { try jsonDecoder.decode(AnyResource.self, from: json.record($0)) }
        try measure(mode, runs: options.runs, resources: models.count) {
            var bytes = 0
            for model in models {
                bytes +=
                    mode == "json-encode" ? try jsonEncoder.encode(model).count : try xmlEncoder.encode(model).count
            }
            return bytes
        }
    case "xml-decode":
        let documents = xmlRecords
        let count = min(subsetCount, documents.count)
        try measure(mode, runs: options.runs, resources: count) {
            var bytes = 0
            for index in 0..<count {
                let record = documents.record(index)
                bytes += record.count
                _ = try xmlDecoder.decode(AnyResource.self, from: record)
            }
            return bytes
        }
    case "json-to-xml", "xml-to-json":
        let source = mode == "json-to-xml" ? json : xmlRecords
        let label = options.jobs > 1 ? "\(mode) ×\(options.jobs)" : mode
        try measure(label, runs: options.runs, resources: source.count) {
            try convertInParallel(source, jobs: options.jobs, toXML: mode == "json-to-xml")
        }
    case "bundle-to-json":
        let path = (options.input.map { $0 + ".bundle.xml" }) ?? (NSTemporaryDirectory() + "ivig-throughput-bundle.xml")
        var bundle = Array(#"<Bundle xmlns="http://hl7.org/fhir"><type value="collection"/>"#.utf8)
        for index in 0..<xmlRecords.count {
            let document = xmlRecords.record(index)
            let body = document.drop(while: { $0 != UInt8(ascii: ">") }).dropFirst()  // after <?xml …?>
            bundle += Array("<entry><resource>".utf8) + body + Array("</resource></entry>".utf8)
        }
        bundle += Array("</Bundle>".utf8)
        _ = FileManager.default.createFile(atPath: path, contents: Data(bundle))
        try measure(mode, runs: options.runs, resources: xmlRecords.count) {
            let reader = try FHIRXMLBundleEntryReader(path: path)
            while let parsed = try reader.next() {
                guard let resource = try parsed.decode(lenient: false).entry.resource else { continue }
                _ = try jsonEncoder.encode(resource)
            }
            return bundle.count
        }
    default:
        FileHandle.standardError.write(Data("unknown mode \(mode)\n".utf8))
        exit(64)
    }
}

var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
print("peak resident memory: \(usage.ru_maxrss / 1024) MB")
