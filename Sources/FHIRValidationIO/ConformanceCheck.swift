public import FHIRConformance
public import FHIRCore
public import FHIRElementModel
public import FHIRJSON
public import FHIRValidation
import FHIRXML

/// One record's conformance findings: the record read into the element model (any R4 type),
/// then validated against the definitions by ``ConformanceValidator``. This is the single
/// entry point a record pipeline calls per record.
///
/// Reading is lenient: an element its type does not define is reported
/// (`struct-unknown-element`) and left out, a primitive whose text breaks its type's format
/// (a dateTime without its zone) is reported (`struct-format`) and kept, and validation goes
/// on with the rest, so every finding the resource has is reported in one run. Input that cannot be read at all gets
/// one finding saying why (fatal for input that is not FHIR or past a limit).
public struct ConformanceCheck: Sendable {
    /// The validator (definitions, profiles, options).
    public private(set) var validator: ConformanceValidator
    /// Whether units are checked too (see ``FHIRConformance/ConformanceValidator/Options/checksUnits``).
    public var checksUnits: Bool {
        get { validator.options.checksUnits }
        set { validator.options.checksUnits = newValue }
    }
    /// What the readers accept.
    public var limits: FHIRReadLimits
    private let index: FHIRLayoutIndex

    public init(validator: ConformanceValidator, limits: FHIRReadLimits = .default) {
        self.validator = validator
        self.limits = limits
        index = FHIRLayoutIndex(validator.definitions)
    }

    /// What one record gave: the resource read (nil when it could not be read) and the findings.
    public struct Outcome: Sendable {
        public var resource: FHIRElement?
        public var findings: [ValidationFinding]
    }

    /// Reads and validates one record: a JSON (one NDJSON line) or XML resource.
    public func check(_ bytes: [UInt8], isXML: Bool) -> Outcome {
        check(isXML: isXML) { () throws(FHIRDiagnostic) in
            if isXML { return try FHIRElementXMLReader(index: index, limits: limits).read(bytes, lenient: true) }
            return try FHIRElementJSONReader(index: index, limits: limits).read(bytes, lenient: true)
        }
    }

    /// Reads and validates one entry of a Bundle streamed entry by entry, as the only entry of a
    /// collection Bundle (see ``FHIRXML/FHIRElementXMLReader/readAsCollectionBundle(_:lenient:)``):
    /// its paths are `Bundle.entry[0]…`, and the wrapper's own findings are the caller's to drop.
    func check(collectionEntry entry: FHIRXMLParsedBundleEntry) -> Outcome {
        check(isXML: true) { () throws(FHIRDiagnostic) in
            try FHIRElementXMLReader(index: index, limits: limits).readAsCollectionBundle(entry, lenient: true)
        }
    }

    /// Reads and validates one JSON record scanned already (as another reader of the same
    /// bytes scanned it).
    public func check(json scanned: FHIRScannedJSON) -> Outcome {
        check(isXML: false) { () throws(FHIRDiagnostic) in
            try FHIRElementJSONReader(index: index, limits: limits).read(scanned, lenient: true)
        }
    }

    private func check(
        isXML: Bool, read readRecord: () throws(FHIRDiagnostic) -> (resource: FHIRElement, dropped: [FHIRDiagnostic])
    ) -> Outcome {
        let read: (resource: FHIRElement, dropped: [FHIRDiagnostic])
        do {
            read = try readRecord()
        } catch {
            return Outcome(resource: nil, findings: [RecordDecoding.finding(for: error)])
        }
        var findings = read.dropped.map { problem in
            switch problem.code {
            case .invalidPrimitive:
                return ValidationFinding(
                    .error, .value, rule: "struct-format", problem.message, at: problem.fhirPath,
                    location: problem.location)
            case .elementOrder:
                return ValidationFinding(
                    .error, .structure, rule: "struct-element-order", problem.message, at: problem.fhirPath,
                    location: problem.location)
            default:
                return ValidationFinding(
                    .error, .structure, rule: "struct-unknown-element", problem.message.replacingDropped(),
                    at: problem.fhirPath, location: problem.location)
            }
        }
        if !isXML { findings += Self.narrativeFindings(read.resource) }
        findings += validator.validate(read.resource)
        return Outcome(resource: read.resource, findings: findings)
    }

    /// Every narrative `div` of a JSON record (its own, its contained resources', a Bundle's
    /// entries') must be well-formed XHTML: JSON carries it as a string the JSON reader does not
    /// parse, so a broken one would otherwise be refused only when written as XML. (An XML
    /// record's narrative was parsed as XML when it was read.)
    ///
    /// A narrative is a resource's `text.div` (the only `xhtml` element in R4), and resources
    /// sit only in resources and their backbone elements (`contained`, `Bundle.entry.resource`,
    /// `Parameters.parameter.resource`), so the search goes down those alone.
    static func narrativeFindings(_ resource: FHIRElement) -> [ValidationFinding] {
        var findings: [ValidationFinding] = []
        var pending = [resource]
        while let element = pending.popLast() {
            if element.kind == .resource, let div = element.child(named: "text")?.child(named: "div"),
                div.typeName == "xhtml", let text = div.value, let problem = FHIRXHTML(text).xhtmlProblem
            {
                findings.append(
                    ValidationFinding(
                        .error, .structure, rule: "struct-narrative", problem, at: div.fhirPath, location: div.location)
                )
            }
            for child in element.children.reversed() where child.kind == .resource || child.kind == .backbone {
                pending.append(child)
            }
        }
        return findings
    }
}
