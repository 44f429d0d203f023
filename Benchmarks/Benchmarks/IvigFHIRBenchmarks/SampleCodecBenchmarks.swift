import Benchmark
import FHIRCore
import FHIRJSON
import FHIRXML
import Foundation
import IVIGSamples

/// The codec benchmarks run on generated IVIG records (`IVIGSamples`, seed 1) of a stated size:
/// `IVIG_BENCH_MB` megabytes of NDJSON (default 1), the same records as XML documents, and the
/// decoded models. One benchmark iteration processes the whole set once, so
/// `mallocCountTotal ÷ resources` (both in the name) is the allocations per resource.
struct SampleSet: Sendable {
    let json: [[UInt8]]
    let xml: [[UInt8]]
    let models: [AnyResource]
    let jsonBytes: Int
    let xmlBytes: Int

    static let shared: SampleSet = {
        let megabytes = Double(ProcessInfo.processInfo.environment["IVIG_BENCH_MB"] ?? "") ?? 1
        var generator = IVIGSampleGenerator(seed: 1)
        var json: [[UInt8]] = [], xml: [[UInt8]] = [], models: [AnyResource] = []
        var jsonBytes = 0, xmlBytes = 0
        while Double(jsonBytes) < megabytes * 1_000_000 {
            let resource = generator.next()!
            let encoded = try! FHIRJSONEncoder().encode(resource)
            let document = try! FHIRXMLEncoder().encode(resource)
            json.append(encoded)
            xml.append(document)
            models.append(resource)
            jsonBytes += encoded.count
            xmlBytes += document.count
        }
        return SampleSet(json: json, xml: xml, models: models, jsonBytes: jsonBytes, xmlBytes: xmlBytes)
    }()

    var label: String {
        String(
            format: "%d resources, %.1f MB JSON / %.1f MB XML", models.count, Double(jsonBytes) / 1e6,
            Double(xmlBytes) / 1e6)
    }
}

/// MB/s and resources/s of one pass, recorded as custom metrics (larger is better).
func recordThroughput(_ benchmark: Benchmark, bytes: Int, resources: Int, since start: ContinuousClock.Instant) {
    let elapsed = ContinuousClock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    guard seconds > 0 else { return }
    benchmark.measurement(
        .custom("MB/s", polarity: .prefersLarger, useScalingFactor: false), Int(Double(bytes) / 1e6 / seconds))
    benchmark.measurement(
        .custom("resources/s", polarity: .prefersLarger, useScalingFactor: false),
        Int(Double(resources) / seconds))
}

let sampleCodecBenchmarks: @Sendable () -> Void = {
    let samples = SampleSet.shared
    let configuration = Benchmark.Configuration(
        metrics: [
            .wallClock, .throughput, .mallocCountTotal, .peakMemoryResident,
            .custom("MB/s", polarity: .prefersLarger, useScalingFactor: false),
            .custom("resources/s", polarity: .prefersLarger, useScalingFactor: false),
        ],
        maxDuration: .seconds(5), maxIterations: 50)

    Benchmark("JSON decode (\(samples.label))", configuration: configuration) { benchmark in
        let start = ContinuousClock.now
        for record in samples.json { blackHole(try FHIRJSONDecoder().decode(AnyResource.self, from: record)) }
        recordThroughput(benchmark, bytes: samples.jsonBytes, resources: samples.models.count, since: start)
    }

    Benchmark("JSON encode (\(samples.label))", configuration: configuration) { benchmark in
        let start = ContinuousClock.now
        for model in samples.models { blackHole(try FHIRJSONEncoder().encode(model)) }
        recordThroughput(benchmark, bytes: samples.jsonBytes, resources: samples.models.count, since: start)
    }

    Benchmark("XML decode (\(samples.label))", configuration: configuration) { benchmark in
        let start = ContinuousClock.now
        for record in samples.xml { blackHole(try FHIRXMLDecoder().decode(AnyResource.self, from: record)) }
        recordThroughput(benchmark, bytes: samples.xmlBytes, resources: samples.models.count, since: start)
    }

    Benchmark("XML encode (\(samples.label))", configuration: configuration) { benchmark in
        let start = ContinuousClock.now
        for model in samples.models { blackHole(try FHIRXMLEncoder().encode(model)) }
        recordThroughput(benchmark, bytes: samples.xmlBytes, resources: samples.models.count, since: start)
    }

    // MB/s of the conversions count the bytes read (JSON for JSON → XML, XML for XML → JSON).
    Benchmark("JSON → XML (\(samples.label))", configuration: configuration) { benchmark in
        let start = ContinuousClock.now
        for record in samples.json {
            blackHole(try FHIRXMLEncoder().encode(try FHIRJSONDecoder().decode(AnyResource.self, from: record)))
        }
        recordThroughput(benchmark, bytes: samples.jsonBytes, resources: samples.models.count, since: start)
    }

    Benchmark("XML → JSON (\(samples.label))", configuration: configuration) { benchmark in
        let start = ContinuousClock.now
        for record in samples.xml {
            blackHole(try FHIRJSONEncoder().encode(try FHIRXMLDecoder().decode(AnyResource.self, from: record)))
        }
        recordThroughput(benchmark, bytes: samples.xmlBytes, resources: samples.models.count, since: start)
    }

    // MARK: Local → FHIR and validation
    //
    // Placeholders for the coordinator: once the local-record mapper (issue 7) and the validator
    // (issue 6) are merged, add "Local → FHIR (…)" over local records made from `samples.models`
    // and "Validate Bundle (…)" over a collection Bundle of `samples.models`, in the same shape
    // as the benchmarks above (one pass per iteration, recordThroughput).
}
