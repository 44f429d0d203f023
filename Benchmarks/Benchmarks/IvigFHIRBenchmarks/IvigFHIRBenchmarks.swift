import Benchmark
import ExactArithmetic
import FHIRCore
import FHIRJSON
import FHIRXML
import Foundation
import UCUM

/// The example CIDP order Bundle (Patient, Condition, weight Observation, MedicationRequest with
/// a contained Medication): 5.4 KB of pretty JSON, the shape of a real IVIG record set.
let exampleJSON: [UInt8] = {
    let url = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Examples/cidp-induction-bundle.json")
    return [UInt8](try! Data(contentsOf: url))
}()
let exampleResource = try! FHIRJSONDecoder().decode(AnyResource.self, from: exampleJSON)
let exampleXML = try! FHIRXMLEncoder().encode(exampleResource)

let benchmarks: @Sendable () -> Void = {
    largeBundleBenchmarks()
    sampleCodecBenchmarks()
    definitionsBenchmarks()
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal, .peakMemoryResident],
        maxDuration: .seconds(3))

    // A typical dosing-unit conversion: the Privigen maximum rate in the unit pumps use.
    Benchmark("UCUM convert 0.08 mL/kg/min to mL/kg/h") { benchmark in
        let value = try ExactDecimal(parsing: "0.08")
        for _ in benchmark.scaledIterations {
            blackHole(try UCUM.convert(value, from: "mL/kg/min", to: "mL/kg/h"))
        }
    }

    Benchmark("UCUM validate mg/kg/min") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(UCUM.validate("mg/kg/min")) }
    }

    Benchmark("JSON decode, example Bundle (\(exampleJSON.count) B)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try FHIRJSONDecoder().decode(AnyResource.self, from: exampleJSON))
        }
    }

    Benchmark("JSON encode, example Bundle") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try FHIRJSONEncoder().encode(exampleResource)) }
    }

    Benchmark("XML decode, example Bundle (\(exampleXML.count) B)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try FHIRXMLDecoder().decode(AnyResource.self, from: exampleXML))
        }
    }

    Benchmark("XML encode, example Bundle") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try FHIRXMLEncoder().encode(exampleResource)) }
    }
}

/// Writes a collection Bundle of at least `megabytes` MB of XML to a temporary file, entry by
/// entry (the example's four entries, repeated), so writing it does not hold the file in memory.
struct LargeFile: Sendable {
    var path: String
    var bytes: Int
    var entries: Int
}

func writeLargeXMLBundle(megabytes: Int) throws -> LargeFile {
    guard case .bundle(let bundle) = exampleResource else { fatalError("the example is a Bundle") }
    let entryXML: [String] = try bundle.entry.map { entry in
        var single = bundle
        single.entry = [entry]
        let text = String(decoding: try FHIRXMLEncoder().encode(AnyResource.bundle(single)), as: UTF8.self)
        let start = text.range(of: "<entry>")!.lowerBound, end = text.range(of: "</entry>", options: .backwards)!.upperBound
        return String(text[start..<end])
    }
    let path = NSTemporaryDirectory() + "ivig-fhir-large-bundle.xml"
    FileManager.default.createFile(atPath: path, contents: nil)
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    var written = 0, entries = 0
    func write(_ text: String) throws {
        try handle.write(contentsOf: Data(text.utf8))
        written += text.utf8.count
    }
    try write(#"<Bundle xmlns="http://hl7.org/fhir"><type value="collection"/>"#)
    while written < megabytes * 1_000_000 {
        for xml in entryXML {
            try write(xml)
            entries += 1
        }
    }
    try write("</Bundle>")
    return LargeFile(path: path, bytes: written, entries: entries)
}

let largeBundleBenchmarks: @Sendable () -> Void = {
    // One pass over a ≥100 MB XML Bundle, streamed entry by entry into JSON: the peak resident
    // memory shows whether memory is bounded by one entry rather than by the file.
    Benchmark(
        "XML Bundle (100 MB) streamed to JSON",
        configuration: .init(
            metrics: [.wallClock, .peakMemoryResident, .throughput], maxDuration: .seconds(120), maxIterations: 1)
    ) { (benchmark: Benchmark, file: LargeFile) in
        let stream = try FHIRXMLBundleStream(path: file.path)
        var jsonBytes = 0
        benchmark.startMeasurement()
        while let item = try stream.next() {
            if let resource = item.entry.resource { jsonBytes += try FHIRJSONEncoder().encode(resource).count }
        }
        benchmark.stopMeasurement()
        blackHole(jsonBytes)
    } setup: {
        let file = try writeLargeXMLBundle(megabytes: 100)
        print("generated \(file.bytes) bytes of XML, \(file.entries) entries, at \(file.path)")
        return file
    }
}
