// swift-tools-version: 6.1
// The benchmarks live in their own package so the main package's `swift test` never builds them.
// Run from this folder: swift package --disable-sandbox benchmark
import PackageDescription

let package = Package(
    name: "ivig-fhir-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "ivig-fhir", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "IvigFHIRBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "FHIRCore", package: "ivig-fhir"),
                .product(name: "FHIRJSON", package: "ivig-fhir"),
                .product(name: "FHIRXML", package: "ivig-fhir"),
                .product(name: "UCUM", package: "ivig-fhir"),
                .product(name: "ExactArithmetic", package: "ivig-fhir"),
                .product(name: "IVIGSamples", package: "ivig-fhir"),
                .product(name: "FHIRPackages", package: "ivig-fhir"),
            ],
            path: "Benchmarks/IvigFHIRBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
