import Benchmark
import FHIRPackages

/// The definitions' costs: a fresh FHIRDefinitions over the carried base R4 with one type's
/// layout (what `convert` of one resource pays), and every resource type's layout.
func definitionsBenchmarks() {
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident], maxDuration: .seconds(3))

    Benchmark("Definitions: base R4 index + Patient layout", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            let definitions = try FHIRDefinitions(packages: [])
            blackHole(definitions.layout(ofType: "Patient"))
        }
    }

    Benchmark("Definitions: layouts of all 146 resource types", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            let definitions = try FHIRDefinitions(packages: [])
            for typeName in definitions.resourceTypeNames { blackHole(definitions.layout(ofType: typeName)) }
        }
    }

    Benchmark("Definitions: expand administrative-gender", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            let definitions = try FHIRDefinitions(packages: [])
            blackHole(definitions.expansion(ofValueSet: "http://hl7.org/fhir/ValueSet/administrative-gender"))
        }
    }
}
