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
        if let conformance, conformance.limits == limits, !isXML, raw.framingProblem == nil,
            case .bytes(let bytes) = raw.payload, Self.isWholeRecord(raw)
        {
            // The typed models (for dosing) and the definitions' walk read the same bytes: they
            // are scanned once for both.
            let scanned = Result { () throws(FHIRDiagnostic) in try FHIRScannedJSON(bytes, limits: limits) }
            let findings: [ValidationFinding]
            switch scanned {
            case .success(let document): findings = conformance.check(json: document).findings
            case .failure(let error): findings = [RecordDecoding.finding(for: error)]
            }
            let typed = RecordDecoding.decode(scanned)
            return Decoded(raw: raw, isXML: false, resource: typed.resource, findings: findings)
        }
        let result = RecordDecoding.decode(raw, isXML: isXML, limits: limits, otherTypes: conformance == nil)
        var findings = result.findings
        if let conformance, raw.framingProblem == nil, !isRefusedEntry(raw) {
            // The definitions read and check every type; the typed models only feed the units
            // and dosing layers, so their reading problems are not reported twice.
            findings = definitionFindings(raw, isXML: isXML, conformance: conformance)
        }
        if conformance != nil, case .bundleEntry(index: 0, _, _) = raw.origin.position {
            // Said once, with the first entry, whether that entry could be read or not.
            findings.append(Self.streamedBundleNote)
        }
        return Decoded(raw: raw, isXML: isXML, resource: result.resource, findings: findings)
    }

    /// Whether the record is a whole resource (a document or an NDJSON line), not a streamed
    /// Bundle's entry.
    private static func isWholeRecord(_ raw: RawRecord) -> Bool {
        if case .bundleEntry = raw.origin.position { return false }
        return true
    }

    /// Whether the record is a streamed Bundle entry refused by a limit as it was read: an XML
    /// entry the reader refused, or a JSON entry over the record size. Like a JSON record refused
    /// while cut out (its ``FHIRBatch/RawRecord/framingProblem``), it has nothing the definitions
    /// could read: the decoding's one finding, the refusal, is what it gets.
    private func isRefusedEntry(_ raw: RawRecord) -> Bool {
        switch raw.payload {
        case .xmlEntry(let entry):
            return entry.refusal != nil
        case .bytes(let bytes):
            if case .bundleEntry = raw.origin.position { return bytes.count > limits.maxRecordBytes }
            return false
        }
    }

    /// The findings of validation from the definitions for one record. A whole record is checked
    /// as it is. An entry of a Bundle streamed entry by entry is checked as the only entry of a
    /// collection Bundle: its paths are `Bundle.entry[0]…` (``entryPath`` moves them to the
    /// entry's place), and what the wrapper itself gives is dropped. The rules that need the
    /// whole Bundle are not checked then; the first entry carries an information finding saying
    /// so (``streamedBundleNote``).
    private func definitionFindings(_ raw: RawRecord, isXML: Bool, conformance: ConformanceCheck)
        -> [ValidationFinding]
    {
        guard case .bundleEntry = raw.origin.position else {
            guard case .bytes(let bytes) = raw.payload else { return [] }
            return conformance.check(bytes, isXML: isXML).findings
        }
        var findings: [ValidationFinding]
        switch raw.payload {
        case .bytes(let entry):
            let prefix = Array(#"{"resourceType":"Bundle","type":"collection","entry":["#.utf8)
            let wrapper = prefix + entry + Array("]}".utf8)
            // The record size limit was the entry's, as it was read (see `isRefusedEntry`): the
            // wrapper around it is not the user's.
            var check = conformance
            check.limits.maxRecordBytes = max(check.limits.maxRecordBytes, wrapper.count)
            findings = check.check(wrapper, isXML: false).findings
            for index in findings.indices {
                // Back to the entry's own bytes, which follow the prefix on the wrapper's first line
                // (what is placed in the prefix is about the wrapper: at the entry's start).
                guard let location = findings[index].location else { continue }
                findings[index].location = SourceLocation(
                    line: location.line,
                    column: location.line == 1 ? max(location.column - prefix.count, 1) : location.column,
                    byteOffset: max(location.byteOffset - prefix.count, 0))
            }
        case .xmlEntry(let entry):
            // The entry's elements carry no place in the input (built from its flat document), or
            // lines without columns (the streaming reader records none): its findings are placed
            // at the entry's start. The lines messages name are the input's.
            findings = conformance.check(collectionEntry: entry).findings.map { finding in
                var moved = finding
                moved.location = nil
                return moved
            }
        }
        findings.removeAll { finding in
            guard let path = finding.fhirPath else { return false }
            return !(path == "Bundle.entry[0]" || path.hasPrefix("Bundle.entry[0]."))
        }
        return findings
    }

    /// The rule id of the note that a streamed Bundle's own rules were not checked.
    public static let streamedBundleRule = "bundle-streamed"

    /// The note that a streamed Bundle's own rules were not checked.
    private static let streamedBundleNote = ValidationFinding(
        .information, .informational, rule: streamedBundleRule,
        "the Bundle is read entry by entry (it is over \(StreamingValidation.wholeBundleBytes >> 20) MiB "
            + "or the record size limit), so each entry is validated as the only entry of a collection "
            + "Bundle; the rules that need the whole Bundle (its own elements and invariants bdl-1 to "
            + "bdl-12, unique fullUrls, a link relation at most once, the types of references between "
            + "entries) are not checked", at: "Bundle")

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
        // One call for all members, so what they share (an order's facts) is worked out once.
        let decodedMembers = members.compactMap { member in contextIndex[member].map { (member, $0) } }
        let validated = validator.validate(records: decodedMembers.map(\.1), in: context)
        let validatedByMember = Dictionary(uniqueKeysWithValues: zip(decodedMembers.map(\.0), validated))
        return members.map { member in
            let record = records[member]
            var findings = record.findings.map { entryPath($0, record, decoded: true) }
            if let validatorFindings = validatedByMember[member] {
                findings += checks(record, validatorFindings)
            }
            return findings.map { place($0, record.raw.origin) }
        }
    }

    /// The validator's findings for a decoded record with the narrative's, located.
    private func checks(_ record: Decoded, _ validatorFindings: [ValidationFinding]) -> [ValidationFinding] {
        var findings = validatorFindings
        // With validation from the definitions, the narratives were checked on the element tree.
        if conformance == nil, !record.isXML, case .bytes(let bytes) = record.raw.payload {
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
    /// The findings for one FHIR record on its own (`convert --validate`, which streams records
    /// one at a time): every check `validate` runs, the record being its own context (a Bundle's
    /// entries are checked against each other), located in the input.
    public func standalone(_ raw: RawRecord, isXML: Bool) -> [ValidationFinding] {
        validate([decode(raw, isXML: isXML)], members: [0])[0]
    }

    /// The findings for the resources one record of another format gave (`convert --from local
    /// --validate`), each its own context: validation from the definitions (when set) of each
    /// resource as written in FHIR JSON, and the validator's checks; all located at the record.
    public func standalone(converted resources: [AnyResource], origin: RecordOrigin) -> [ValidationFinding] {
        var findings: [ValidationFinding] = []
        for resource in resources {
            if let conformance, let bytes = try? FHIRJSONEncoder().encode(resource) {
                findings += conformance.check(bytes, isXML: false).findings
            }
            findings += validator.validate(resource)
        }
        return findings.map { finding in
            var located = finding
            // Positions in the JSON written from the record name nothing in the input.
            located.location = SourceLocation(line: origin.line, column: 1, byteOffset: origin.byteOffset)
            return located
        }
    }
}
