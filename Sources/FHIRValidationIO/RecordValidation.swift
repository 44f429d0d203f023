public import FHIRBatch
public import FHIRCore
import FHIRJSON
public import FHIRValidation
import FHIRXML

/// The validation step of the record pipeline: what `validate` (and `convert --validate`) does
/// with each record. Decoding with findings, the validator's structure, unit and dosing checks
/// in a context, the narrative check of JSON, and the placing of every finding in its file by
/// line and column.
public struct RecordValidation: Sendable {
    /// The validator each record goes through.
    public var validator: Validator
    /// What the readers accept; a record past a limit gets a fatal `struct-limit` finding.
    public var limits: FHIRReadLimits

    /// Validation from the definitions (every resource type, profiles, extensions, every
    /// invariant, units); when set, it replaces the structure and units layers of ``validator``,
    /// which then checks IVIG dosing on the records the typed models read.
    public var conformance: ConformanceCheck?

    /// A step with a validator (which carries the dosing rules) and, optionally, validation
    /// from the definitions.
    public init(validator: Validator, limits: FHIRReadLimits = .default, conformance: ConformanceCheck? = nil) {
        self.validator = validator
        self.limits = limits
        self.conformance = conformance
        if var conformance {
            // The definitions' walk checks structure, and units too (on every resource type,
            // with each finding's line and column), so the typed walk is left to dosing.
            if validator.layers.contains(.units) { conformance.checksUnits = true }
            self.conformance = conformance
            self.validator.layers.subtract([.structure, .units])
        }
    }

    /// One record decoded, with the findings of its decoding.
    struct Decoded {
        let raw: RawRecord
        let isXML: Bool
        var resource: AnyResource?
        var findings: [ValidationFinding]
    }

    func decode(_ raw: RawRecord, isXML: Bool) -> Decoded {
        let result = RecordDecoding.decode(raw, isXML: isXML, limits: limits, otherTypes: conformance == nil)
        var findings = result.findings
        var isWholeRecord = true
        if case .bundleEntry = raw.origin.position { isWholeRecord = false }
        if let conformance, isWholeRecord, raw.framingProblem == nil, case .bytes(let bytes) = raw.payload {
            // The definitions read and check every type; the typed models only feed the units
            // and dosing layers, so their reading problems are not reported twice.
            findings = conformance.check(bytes, isXML: isXML).findings
        }
        return Decoded(raw: raw, isXML: isXML, resource: result.resource, findings: findings)
    }

    /// Validates records together: `records` in input order, those at `members` are checked
    /// (the others are context only). Returns the findings of each member, placed in its file.
    func validate(_ records: [Decoded], members: [Int]) -> [[ValidationFinding]] {
        var contextIndex: [Int?] = []
        var resources: [AnyResource] = []
        for record in records {
            contextIndex.append(
                record.resource.map { resource in
                    resources.append(resource)
                    return resources.count - 1
                })
        }
        let context = ValidationContext(records: resources)
        return members.map { member in
            let record = records[member]
            var findings = record.findings.map { entryPath($0, record, decoded: true) }
            if let index = contextIndex[member] {
                findings += checks(record, index: index, context: context)
            }
            return findings.map { place($0, record.raw.origin) }
        }
    }

    /// The validator's and the narrative's findings for a decoded record, located.
    private func checks(_ record: Decoded, index: Int, context: ValidationContext) -> [ValidationFinding] {
        var findings = validator.validate(record: index, in: context)
        if !record.isXML, case .bytes(let bytes) = record.raw.payload {
            if case .bundleEntry = record.raw.origin.position {
                findings += NarrativeCheck.findings(inEntry: bytes)
            } else {
                findings += NarrativeCheck.findings(in: bytes)
            }
        }
        guard !findings.isEmpty else { return [] }
        if case .bundleEntry = record.raw.origin.position {
            // The one-entry Bundle is a wrapper: its own findings are not about the input.
            return findings.compactMap { finding in
                guard let path = finding.fhirPath, path.hasPrefix("Bundle.entry[0]") else { return nil }
                return entryPath(finding, record, decoded: false)
            }
        }
        let locator = Self.locator(record, limits: limits)
        return findings.map { finding in
            var located = finding
            if located.location == nil, let path = finding.fhirPath { located.location = locator(path) }
            return located
        }
    }

    /// A finding of a Bundle entry, moved to the entry's place: `Bundle.entry[0]` of the wrapper
    /// becomes `Bundle.entry[n]`, and it is located at the entry's start (the entry's own bytes
    /// are not kept for a source map). A decoder's path inside a JSON entry (`resource…`) is
    /// rooted at `Bundle.entry[n]`; a streamed XML entry's paths and lines are the input's already.
    private func entryPath(_ finding: ValidationFinding, _ record: Decoded, decoded: Bool) -> ValidationFinding {
        let origin = record.raw.origin
        guard case .bundleEntry(let index, let line, let column) = origin.position else { return finding }
        var moved = finding
        let base = "Bundle.entry[\(index)]"
        if let path = finding.fhirPath {
            if path.hasPrefix("Bundle.entry[0]") {
                moved.fhirPath = base + path.dropFirst("Bundle.entry[0]".count)
            } else if decoded, !path.hasPrefix("Bundle") {
                moved.fhirPath = path.isEmpty ? base : base + "." + path
            }
        } else if decoded {
            moved.fhirPath = base
        }
        if moved.location == nil || !decoded {
            moved.location = SourceLocation(line: line, column: column, byteOffset: origin.byteOffset)
        } else if !record.isXML, let location = moved.location {
            moved.location = origin.inInput(location)
        }
        return moved
    }

    /// The finding in its file: named, with its line counted from the file's start.
    private func place(_ finding: ValidationFinding, _ origin: RecordOrigin) -> ValidationFinding {
        var placed = finding
        // Both are shown to people and written into reports (XML cannot carry control characters).
        placed.file = FHIRDiagnostic.printable(origin.input)
        placed.message = FHIRDiagnostic.printable(finding.message)
        if case .bundleEntry = origin.position { return placed }
        if let location = placed.location { placed.location = origin.inInput(location) }
        return placed
    }

    /// A function from FHIRPath to location in the record's bytes, parsing them only once.
    /// - Parameter limits: those the record was decoded within, so a record that passed them
    ///   (with a raised `--max-depth`, say) can be located too.
    private static func locator(_ record: Decoded, limits: FHIRReadLimits) -> (String) -> SourceLocation? {
        guard case .bytes(let bytes) = record.raw.payload else { return { _ in nil } }
        if record.isXML {
            let map = try? FHIRXMLSourceMap(bytes: bytes, limits: FHIRXMLLimits(limits))
            return { map?.location(of: $0) }
        }
        let map = try? FHIRJSONSourceMap(bytes: bytes, maxDepth: limits.maxDepth)
        return { map?.location(of: $0) }
    }
}

extension RecordValidation {
    /// The findings for the resources of one record, each its own context (`convert --validate`,
    /// which streams records one at a time): the validator's checks and, for a JSON record, the
    /// narrative check, located in the input.
    public func standalone(_ resources: [AnyResource], raw: RawRecord) -> [ValidationFinding] {
        var findings = resources.flatMap { validator.validate($0) }
        if case .bytes(let bytes) = raw.payload, bytes.first(where: { $0 > 0x20 }) == UInt8(ascii: "{") {
            if case .bundleEntry = raw.origin.position {
                findings += NarrativeCheck.findings(inEntry: bytes)
            } else {
                findings += NarrativeCheck.findings(in: bytes)
            }
        }
        let origin = raw.origin
        return findings.map { finding in
            var located = finding
            if located.location == nil {
                located.location = SourceLocation(line: origin.line, column: 1, byteOffset: origin.byteOffset)
            }
            return located
        }
    }
}
