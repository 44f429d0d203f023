// swift-tools-version: 6.1
// ivig-throughput: library-level throughput of the codecs on generated IVIG records, for
// compare.sh and for profiling (valgrind --tool=callgrind). Its own package, so the benchmark
// package holds only benchmarks. Build: swift build -c release (from this folder).
import PackageDescription

let package = Package(
    name: "ivig-throughput",
    platforms: [.macOS(.v13)],
    dependencies: [.package(name: "ivig-fhir", path: "../..")],
    targets: [
        .executableTarget(
            name: "ivig-throughput",
            dependencies: [
                .product(name: "FHIRCore", package: "ivig-fhir"),
                .product(name: "FHIRJSON", package: "ivig-fhir"),
                .product(name: "FHIRXML", package: "ivig-fhir"),
                .product(name: "IVIGSamples", package: "ivig-fhir"),
            ],
            path: "Sources"
        ),
        /// The element model's conversions over the all-types corpus.
        .executableTarget(
            name: "ivig-element-throughput",
            dependencies: [
                .product(name: "FHIRElementModel", package: "ivig-fhir"),
                .product(name: "FHIRJSON", package: "ivig-fhir"),
                .product(name: "FHIRXML", package: "ivig-fhir"),
                .product(name: "FHIRPackages", package: "ivig-fhir"),
            ],
            path: "ElementSources"
        ),
    ]
)
