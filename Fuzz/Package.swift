// swift-tools-version: 6.1
// The libFuzzer targets live in their own package: they only build with
// `-sanitize=fuzzer`, which the main package's `swift build` and `swift test` never pass.
// Run them with Fuzz/run.sh (see the README's "Fuzzing" section), which builds them with
// `-Xswiftc -sanitize=fuzzer,address`.
import PackageDescription

/// One executable per reader: its source folder (the `FuzzTarget` name) and its name.
let targets = [
    ("json", "FuzzJSON"), ("xml", "FuzzXML"), ("batch", "FuzzBatch"),
    ("local", "FuzzLocal"), ("ucum", "FuzzUCUM"), ("round-trip", "FuzzRoundTrip"),
    ("fhirpath", "FuzzFHIRPath"),
]

let package = Package(
    name: "ivig-fhir-fuzz",
    platforms: [.macOS(.v13)],
    dependencies: [.package(name: "ivig-fhir", path: "..")],
    targets: [
        /// Hands the process's arguments and a test function to libFuzzer's driver.
        .target(name: "FuzzDriver", path: "Sources/FuzzDriver"),
    ] + targets.map { folder, name in
        .executableTarget(
            name: name,
            dependencies: ["FuzzDriver", .product(name: "FuzzHarness", package: "ivig-fhir")],
            path: "Sources/\(folder)",
            // lld, not gold: `-sanitize=fuzzer` links libFuzzer whole, with its own `main`, and
            // SwiftPM points `main` at the target's top-level code; gold fails on the pair.
            linkerSettings: [.unsafeFlags(["-use-ld=lld"])]
        )
    }
)
