/// The readers under fuzzing, and what each one must do with any input at all.
///
/// Each target takes arbitrary bytes, runs one reader over them the way the tool does, and
/// checks what must hold whatever the bytes are: the reader answers (a value or a diagnostic),
/// what it accepts it can write, and a batch loses nothing. A broken property is thrown as a
/// ``FuzzFinding``; a crash, a hang or a memory blow-up is caught by the fuzzer (or, when a
/// regression input is replayed in the tests, by the test run).
///
/// The libFuzzer executables in `Fuzz/` are one thin wrapper per case; the regression tests in
/// `Tests/FuzzRegressionTests` replay the inputs kept under `Tests/FuzzRegressionTests/Inputs/`.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// FHIR JSON: one resource document, strict and lenient.
    case json
    /// FHIR XML: one resource document, strict and lenient, and the Bundle entry stream.
    case xml
    /// `convert` over one input file (NDJSON, JSON or XML, detected): output + rejects = input.
    case batch
    /// One local-schema record mapped to FHIR with the shipped mappings.
    case local
    /// UCUM unit expressions: parse, display, convert.
    case ucum
    /// JSON ⇄ XML: a resource that reads must write, and must read back equal.
    case roundTrip = "round-trip"
    /// FHIRPath expressions: parse, evaluate within limits, evaluate again.
    case fhirpath

    /// Runs the target's reader over one input and checks its properties.
    public func check(_ bytes: [UInt8]) throws(FuzzFinding) {
        switch self {
        case .json: JSONReaderCheck.check(bytes)
        case .xml: XMLReaderCheck.check(bytes)
        case .batch: try BatchCheck.check(bytes)
        case .local: try LocalRecordCheck.check(bytes)
        case .ucum: try UCUMCheck.check(bytes)
        case .roundTrip: try RoundTripCheck.check(bytes)
        case .fhirpath: try FHIRPathCheck.check(bytes)
        }
    }
}

/// A property a reader broke for one input (not a crash: those the fuzzer sees by itself).
public struct FuzzFinding: Error, CustomStringConvertible, Sendable {
    /// What went wrong, with the values involved.
    public let description: String

    init(_ description: String) { self.description = description }
}
