// swift-tools-version: 6.1
// ivig-invariants: per `ivig-fhir sample` record, the cost of evaluating every R4 invariant
// that applies (FHIRPath, from the base definitions) against the cost of decoding the record
// into the element model, in the same run. Build: swift build -c release (from this folder).
import PackageDescription

let package = Package(
    name: "ivig-invariants",
    platforms: [.macOS(.v13)],
    dependencies: [.package(name: "ivig-fhir", path: "../..")],
    targets: [
        .executableTarget(
            name: "ivig-invariants",
            dependencies: [
                .product(name: "FHIRCore", package: "ivig-fhir"),
                .product(name: "FHIRJSON", package: "ivig-fhir"),
                .product(name: "FHIRElementModel", package: "ivig-fhir"),
                .product(name: "FHIRPackages", package: "ivig-fhir"),
                .product(name: "FHIRPath", package: "ivig-fhir"),
                .product(name: "IVIGSamples", package: "ivig-fhir"),
            ],
            path: "Sources"
        ),
    ]
)
