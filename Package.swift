// swift-tools-version: 6.1
import PackageDescription

/// Settings every target shares, so the whole package is held to one standard.
let swiftSettings: [SwiftSetting] = [
    // Swift 6 mode: data-race safety is checked by the compiler, not by review.
    .swiftLanguageMode(.v6),
    // `any P` spelled out, so existential (boxed, slower) uses are visible in hot paths.
    .enableUpcomingFeature("ExistentialAny"),
    // A file sees only what it imports itself; keeps module boundaries honest.
    .enableUpcomingFeature("MemberImportVisibility"),
    // Imports are internal unless marked `public import`: no C or helper type leaks into
    // a public signature by accident (libxml2 stays inside FHIRXML).
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "ivig-fhir",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "FHIRCore", targets: ["FHIRCore"]),
        .library(name: "FHIRJSON", targets: ["FHIRJSON"]),
        .library(name: "FHIRXML", targets: ["FHIRXML"]),
        .library(name: "UCUM", targets: ["UCUM"]),
        .library(name: "ExactArithmetic", targets: ["ExactArithmetic"]),
        .library(name: "FHIRValidation", targets: ["FHIRValidation"]),
        .library(name: "FHIRValidationIO", targets: ["FHIRValidationIO"]),
        .library(name: "FHIRConformance", targets: ["FHIRConformance"]),
        .library(name: "LocalRecords", targets: ["LocalRecords"]),
        .library(name: "FHIRBatch", targets: ["FHIRBatch"]),
        .library(name: "IVIGSamples", targets: ["IVIGSamples"]),
        .library(name: "IVIGProducts", targets: ["IVIGProducts"]),
        .library(name: "IVIGReport", targets: ["IVIGReport"]),
        .library(name: "FuzzHarness", targets: ["FuzzHarness"]),
        .library(name: "FHIRGzip", targets: ["FHIRGzip"]),
        .library(name: "FHIRElementModel", targets: ["FHIRElementModel"]),
        .library(name: "FHIRPath", targets: ["FHIRPath"]),
        .library(name: "FHIRPackages", targets: ["FHIRPackages"]),
        .library(name: "FHIRServer", targets: ["FHIRServer"]),
        .executable(name: "ivig-fhir", targets: ["ivig-fhir"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/attaswift/BigInt", from: "6.0.1"),
        // `serve`: the HTTP server (on swift-nio), graceful shutdown and one log line per request.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        // `swift package generate-documentation`: the library modules' DocC (built in CI).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // MARK: Library

        /// FHIR's decimal grammar (JSON's number grammar), the one definition the FHIR decimal,
        /// the JSON scanner and exact decimal text read by. No dependencies, no Foundation.
        .target(name: "DecimalGrammar", swiftSettings: swiftSettings),
        /// Exact decimal and rational arithmetic (doses, UCUM factors): never through Double.
        .target(
            name: "ExactArithmetic",
            dependencies: ["DecimalGrammar", .product(name: "BigInt", package: "BigInt")],
            swiftSettings: swiftSettings
        ),
        /// Models (generated), primitives, source locations and errors. No wire format, and no
        /// Foundation: BigInt (under ExactArithmetic) imports Foundation, whose ICU headers clash
        /// with the ICU that libxml2's headers include, so nothing FHIRXML builds on may use it.
        .target(name: "FHIRCore", dependencies: ["DecimalGrammar"], swiftSettings: swiftSettings),
        /// Byte-level FHIR JSON reader and writer, with a Decoder and Encoder over the models.
        .target(
            name: "FHIRJSON", dependencies: ["FHIRCore", "FHIRElementModel", "DecimalGrammar"],
            swiftSettings: swiftSettings),
        /// libxml2, as Debian ships it. Only FHIRXML imports it.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]
        ),
        /// zlib, as Debian ships it (zlib1g-dev). Only FHIRGzip imports it.
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        /// Streaming gzip read and write (Bulk Data `.ndjson.gz`, FHIR package `.tgz`), with a
        /// bound on what it expands to.
        .target(name: "FHIRGzip", dependencies: ["CZlib"], swiftSettings: swiftSettings),
        /// The element model: any R4 resource as a tree typed by the StructureDefinitions, for
        /// the resource types outside the generated IVIG set, FHIRPath and validation.
        .target(name: "FHIRElementModel", dependencies: ["FHIRCore"], swiftSettings: swiftSettings),
        /// FHIRPath (N1, as R4 uses it): parser, evaluator over the element model, expression cache.
        .target(
            name: "FHIRPath",
            dependencies: ["FHIRCore", "FHIRElementModel", "ExactArithmetic", "UCUM"],
            swiftSettings: swiftSettings
        ),
        /// FHIR packages (`.tgz`, folders, the package cache) and the definitions in them, with
        /// base R4 carried in the binary (Generated/): StructureDefinitions, ValueSets and
        /// CodeSystems by canonical URL, the type layouts the element model reads by, and
        /// ValueSet expansion offline.
        .target(
            name: "FHIRPackages",
            dependencies: ["FHIRCore", "FHIRJSON", "FHIRGzip", "FHIRElementModel"],
            swiftSettings: swiftSettings
        ),
        /// FHIR XML through libxml2, with a Decoder and Encoder over the models.
        .target(name: "FHIRXML", dependencies: ["FHIRCore", "FHIRElementModel", "CLibXML2"], swiftSettings: swiftSettings),
        /// Validation on the models: structure (from the generated definitions), units (UCUM) and
        /// IVIG dosing rules (thresholds from Mappings/), as findings and an OperationOutcome.
        .target(
            name: "FHIRValidation",
            dependencies: ["FHIRCore", "ExactArithmetic", "UCUM", "IVIGProducts"],
            swiftSettings: swiftSettings
        ),
        /// The IVIG product table (Mappings/products.json): the one reader of it, for validation,
        /// the local-record mapping and the samples.
        .target(
            name: "IVIGProducts",
            dependencies: ["FHIRCore", "FHIRJSON", "ExactArithmetic", "UCUM"],
            swiftSettings: swiftSettings
        ),
        /// `ivig-fhir report`: each patient's courses, infusions, reactions and response over time,
        /// as text, JSON and a self-contained HTML page.
        .target(
            name: "IVIGReport",
            dependencies: ["FHIRCore", "FHIRJSON", "FHIRValidation", "IVIGProducts", "ExactArithmetic", "UCUM"],
            swiftSettings: swiftSettings
        ),
        /// Validation on the record pipeline (FHIRBatch): the validation step of each record,
        /// streaming validation in two passes with the cross-record rules intact, findings placed
        /// by line and column and written as they are found. Depends on both codecs, so
        /// FHIRValidation (and its Foundation) never becomes a dependency of FHIRXML or FHIRBatch.
        .target(
            name: "FHIRValidationIO",
            dependencies: [
                "FHIRCore", "FHIRJSON", "FHIRXML", "FHIRValidation", "FHIRConformance", "FHIRElementModel", "FHIRPackages", "FHIRBatch",
                "FHIRGzip",
            ],
            swiftSettings: swiftSettings
        ),
        /// Validation from the definitions, over the element model: structure, bindings,
        /// invariants (by the FHIRPath engine), extensions, profiles and slicing, Bundle references.
        .target(
            name: "FHIRConformance",
            dependencies: [
                "FHIRCore", "FHIRElementModel", "FHIRJSON", "FHIRPackages", "FHIRPath", "FHIRValidation", "UCUM",
                "ExactArithmetic",
            ],
            swiftSettings: swiftSettings
        ),
        /// The hospital's local IVIG records (Mappings/) to and from FHIR, driven by ConceptMaps.
        .target(
            name: "LocalRecords",
            dependencies: ["FHIRCore", "FHIRJSON", "UCUM", "ExactArithmetic", "IVIGProducts"],
            swiftSettings: swiftSettings
        ),
        /// Batch conversion for `convert`: inputs, format detection, streaming record sources, an
        /// ordered parallel pipeline, atomic outputs, rejects and the summary.
        .target(
            name: "FHIRBatch", dependencies: ["FHIRCore", "FHIRElementModel", "FHIRJSON", "FHIRXML", "FHIRGzip"],
            swiftSettings: swiftSettings),
        /// UCUM units: parser, the generated unit table, exact conversion. Stands alone.
        .target(name: "UCUM", dependencies: ["ExactArithmetic"], swiftSettings: swiftSettings),
        /// Realistic, deterministic IVIG sample records (`ivig-fhir sample`, tests, benchmarks).
        .target(
            name: "IVIGSamples", dependencies: ["FHIRCore", "FHIRJSON", "FHIRXML", "IVIGProducts", "ExactArithmetic"],
            swiftSettings: swiftSettings),
        /// What each fuzz target does with one input and what must hold; used by the libFuzzer
        /// executables in Fuzz/ (their own package) and by the regression tests.
        .target(
            name: "FuzzHarness",
            dependencies: [
                "FHIRCore", "FHIRJSON", "FHIRXML", "FHIRBatch", "FHIRValidationIO", "LocalRecords", "UCUM", "ExactArithmetic",
                "FHIRPath", "FHIRElementModel", "FHIRPackages",
            ],
            swiftSettings: swiftSettings
        ),

        /// `ivig-fhir serve`: conversion and validation over HTTP (Hummingbird), with limits against
        /// hostile clients and graceful shutdown. The codecs and validation are library calls.
        .target(
            name: "FHIRServer",
            dependencies: [
                "FHIRCore", "FHIRJSON", "FHIRXML", "FHIRValidation", "FHIRValidationIO", "FHIRBatch", "LocalRecords",
                "FHIRGzip", "FHIRElementModel", "FHIRPackages", "FHIRConformance",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Tools

        /// The command-line tool. Thin: every behaviour is a library call.
        .executableTarget(
            name: "ivig-fhir",
            dependencies: [
                "FHIRCore", "FHIRJSON", "FHIRXML", "UCUM", "FHIRValidation", "FHIRValidationIO", "FHIRBatch", "LocalRecords",
                "FHIRElementModel", "FHIRPackages", "FHIRPath", "FHIRConformance", "IVIGSamples", "IVIGProducts",
                "IVIGReport", "FHIRServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        /// Writes Sources/FHIRCore/Generated from the R4 StructureDefinitions (run by hand).
        .executableTarget(name: "FHIRModelGenerator", swiftSettings: swiftSettings),
        /// Writes Sources/FHIRPackages/Generated from the R4 core package (run by hand).
        .executableTarget(
            name: "BaseDefinitionsGenerator",
            dependencies: ["FHIRPackages", "FHIRJSON"],
            swiftSettings: swiftSettings
        ),
        /// Writes Sources/UCUM/Generated from UCUM's ucum-essence.xml (run by hand).
        .executableTarget(name: "UCUMTableGenerator", swiftSettings: swiftSettings),

        // MARK: Tests

        .target(
            name: "FHIRTestSupport",
            dependencies: ["FHIRCore", "FHIRXML"],
            path: "Tests/FHIRTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FHIRCoreTests",
            dependencies: ["FHIRCore", "FHIRJSON", "FHIRTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FHIRJSONTests",
            dependencies: ["FHIRCore", "FHIRJSON", "FHIRTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FHIRXMLTests",
            dependencies: ["FHIRCore", "FHIRElementModel", "FHIRPackages", "FHIRJSON", "FHIRXML", "FHIRTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "UCUMTests", dependencies: ["UCUM", "ExactArithmetic", "FHIRTestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "FHIRValidationTests",
            dependencies: [
                "FHIRCore", "FHIRValidation", "ExactArithmetic", "FHIRJSON", "FHIRXML", "FHIRValidationIO", "FHIRTestSupport",
                "IVIGProducts", "FHIRBatch", "IVIGSamples", "FHIRConformance",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LocalRecordsTests",
            dependencies: ["LocalRecords", "FHIRCore", "FHIRJSON", "FHIRXML", "FHIRTestSupport"],
            swiftSettings: swiftSettings
        ),
        /// The FHIR the local mapper writes, validated by the project's validator.
        .testTarget(
            name: "LocalValidationTests",
            dependencies: ["LocalRecords", "FHIRValidation", "FHIRCore", "FHIRTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FHIRBatchTests",
            dependencies: ["FHIRCore", "FHIRJSON", "FHIRXML", "FHIRBatch", "FHIRTestSupport", "IVIGSamples"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IVIGSamplesTests",
            dependencies: ["IVIGSamples", "IVIGProducts", "FHIRCore", "FHIRJSON", "FHIRXML", "FHIRTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "ExactArithmeticTests", dependencies: ["ExactArithmetic"], swiftSettings: swiftSettings),
        .testTarget(name: "FHIRGzipTests", dependencies: ["FHIRGzip"], swiftSettings: swiftSettings),
        .testTarget(
            name: "FHIRElementModelTests",
            dependencies: ["FHIRElementModel", "FHIRPackages", "FHIRCore", "FHIRJSON", "FHIRXML", "FHIRTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FHIRPathTests",
            dependencies: ["FHIRPath", "FHIRElementModel", "FHIRPackages", "FHIRJSON", "FHIRXML", "FHIRTestSupport"],
            exclude: ["known-failures.txt"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FHIRPackagesTests",
            dependencies: ["FHIRPackages", "FHIRElementModel", "FHIRJSON", "FHIRGzip", "FHIRTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FHIRConformanceTests",
            dependencies: [
                "FHIRConformance", "FHIRCore", "FHIRElementModel", "FHIRJSON", "FHIRXML", "FHIRPackages",
                "FHIRValidation", "FHIRValidationIO", "FHIRTestSupport",
            ],
            swiftSettings: swiftSettings
        ),
        /// Replays the inputs the fuzzers found (Tests/FuzzRegressionTests/Inputs/TARGET/).
        .testTarget(
            name: "FuzzRegressionTests",
            dependencies: ["FuzzHarness", "FHIRTestSupport"],
            exclude: ["Inputs"],
            swiftSettings: swiftSettings
        ),
        /// The real server on a free port, called over TCP by curl and raw sockets.
        .testTarget(
            name: "FHIRServerTests",
            dependencies: [
                "FHIRServer", "FHIRTestSupport", "FHIRGzip", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CLITests",
            dependencies: ["FHIRTestSupport", "FHIRCore", "FHIRJSON", "FHIRXML"],
            swiftSettings: swiftSettings
        ),
    ]
)
