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
