internal import FHIRCore
internal import FHIRJSON
internal import IVIGProducts
internal import UCUM

/// A hospital's mapping set, loaded from a folder such as `Mappings/`: the manifest
/// `local-mappings.json`, the ConceptMaps it lists and the product table.
///
/// Terminology is data: another hospital keeps the code and points `--mappings DIR` at its own
/// folder. Loading checks the folder as a whole (every local code system has a ConceptMap group,
/// statuses map to FHIR status codes, units to valid UCUM codes, products to rows of the
/// product table) so that a bad mapping fails once, at start, not on every record.
public struct LocalMappings: Sendable {
    /// The name of the manifest file inside a mapping folder.
    public static let manifestName = "local-mappings.json"

    /// The folder the set was loaded from.
    public let directory: String
    /// Who the mapping set belongs to (the manifest's `hospital`).
    public let hospital: String
    /// The identifier systems of local ids in FHIR.
    public let identifierSystems: IdentifierSystems
    /// The canonical URLs of the loaded ConceptMaps, in manifest order.
    public let conceptMapURLs: [String]

    let localSystems: [LocalCodeRole: String]
    let terminology: Terminology
    let products: ProductTable
    /// Every UCUM code the unit map targets, parsed once (checking a field's kind of unit per
    /// record would otherwise parse it again for every quantity).
    let ucumUnits: [String: UCUMUnit]

    /// The identifier systems that local ids (MRN, order id …) get in FHIR `Identifier.system`.
    public struct IdentifierSystems: Hashable, Sendable {
        /// Patient MRNs.
        public let patient: String
        /// Order ids.
        public let order: String
        /// Infusion ids.
        public let infusion: String
        /// Assessment ids.
        public let assessment: String
        /// Reaction ids.
        public let reaction: String
        /// Staff ids (prescriber, nurse).
        public let staff: String

        /// The identifier system of a record kind's ids.
        public func system(for kind: LocalRecordKind) -> String {
            switch kind {
            case .order: return order
            case .infusion: return infusion
            case .assessment: return assessment
            case .reaction: return reaction
            }
        }
    }

    /// Loads the mapping set in `directory`.
    /// - Parameter directory: a folder holding `local-mappings.json` (e.g. `Mappings`).
    /// - Throws: ``LocalRecordError`` with code `invalidMappings`, naming the file and what is wrong.
    public static func load(directory: String) throws(LocalRecordError) -> LocalMappings {
        let manifestPath = MappingFiles.path(manifestName, in: directory)
        let manifest = MappingJSON(try MappingFiles.tree(atPath: manifestPath), file: manifestPath)
        let version = try manifest.member("schemaVersion").number()
        guard version == "1" else {
            throw LocalRecordError(.invalidMappings,
                "\(manifestPath): schemaVersion \(version) is not supported (this version reads local schema 1)")
        }
        let ids = try manifest.member("identifierSystems")
        let identifierSystems = IdentifierSystems(
            patient: try ids.member("patient").string(), order: try ids.member("order").string(),
            infusion: try ids.member("infusion").string(), assessment: try ids.member("assessment").string(),
            reaction: try ids.member("reaction").string(), staff: try ids.member("staff").string())

        let systemsJSON = try manifest.member("localCodeSystems")
        var localSystems: [LocalCodeRole: String] = [:]
        for role in LocalCodeRole.allCases {
            localSystems[role] = try systemsJSON.member(role.rawValue).string()
        }

        var groups: [Terminology.Group] = []
        var urls: [String] = []
        for entry in try manifest.member("conceptMaps").array() {
            let path = MappingFiles.path(try entry.string(), in: directory)
            let bytes = try MappingFiles.bytes(atPath: path)
            let map: ConceptMap
            do throws(FHIRDiagnostic) {
                map = try FHIRJSONDecoder().decode(ConceptMap.self, from: bytes)
            } catch {
                throw LocalRecordError(.invalidMappings, "not a FHIR R4 ConceptMap: \(error.inFile(path))")
            }
            urls.append(map.url?.value ?? path)
            groups += try Terminology.groups(of: map, file: path)
        }
        let products = try ProductTable.load(
            path: MappingFiles.path(try manifest.member("productTable").string(), in: directory))

        let terminology = Terminology(groups: groups)
        var ucumUnits: [String: UCUMUnit] = [:]
        for group in terminology.groups(from: localSystems[.unit]!) where group.target == FHIRSystems.ucum {
            for targets in group.elements.values {
                for target in targets { ucumUnits[target.code] = try? UCUMUnit(target.code) }
            }
        }
        let mappings = LocalMappings(
            directory: directory, hospital: try manifest.member("hospital").string(),
            identifierSystems: identifierSystems, conceptMapURLs: urls, localSystems: localSystems,
            terminology: terminology, products: products, ucumUnits: ucumUnits)
        try mappings.checkConsistency()
        return mappings
    }

    /// Every role has a map, and every target the code relies on is one FHIR, UCUM or the
    /// product table knows.
    private func checkConsistency() throws(LocalRecordError) {
        for role in LocalCodeRole.allCases {
            let system = localSystems[role]!
            let groups = terminology.groups(from: system)
            guard !groups.isEmpty else {
                throw LocalRecordError(.invalidMappings,
                    "no ConceptMap group maps the local code system \(system) (\(role.rawValue)); add one to a file listed in \(Self.manifestName)")
            }
            guard let required = role.requiredTarget else { continue }
            guard groups.contains(where: { $0.target == required }) else {
                throw LocalRecordError(.invalidMappings,
                    "no ConceptMap group maps \(role.rawValue) (\(system)) to \(required)",
                    conceptMap: terminology.maps(from: system).map(\.description).joined(separator: ", "))
            }
            for group in groups where group.target == required {
                for local in group.order {
                    for target in group.elements[local]! {
                        if let problem = targetProblem(role: role, code: target.code) {
                            throw LocalRecordError(.invalidMappings, "local code \"\(local)\" maps to \"\(target.code)\": \(problem)",
                                                   conceptMap: group.map.description)
                        }
                    }
                }
            }
        }
    }

    private func targetProblem(role: LocalCodeRole, code: String) -> String? {
        if let allowed = role.allowedTargetCodes, !allowed.contains(code) {
            return "not a code of \(role.requiredTarget!) (expected one of \(allowed.sorted().joined(separator: ", ")))"
        }
        if role == .unit, let error = UCUM.validate(code) { return "not a UCUM code: \(error.reason)" }
        if role == .product, products.product(code: code) == nil {
            return "no product with this code in the product table"
        }
        return nil
    }

    // MARK: Forward lookups (local → FHIR)

    /// The maps searched for a role, as an error names them.
    func searched(_ role: LocalCodeRole) -> String {
        let maps = terminology.maps(from: localSystems[role]!)
        return maps.map(\.description).joined(separator: ", ") + ", source system " + localSystems[role]!
    }

    /// Every coding a local code maps to.
    /// - Throws: `unknownCode` naming the field, the value and the ConceptMaps searched.
    func codings(for code: String, role: LocalCodeRole, field: String) throws(LocalRecordError) -> [MappedCoding] {
        let codings = terminology.translate(code, from: localSystems[role]!)
        guard !codings.isEmpty else {
            let note = terminology.unmatchedNote(code, from: localSystems[role]!)
            throw LocalRecordError(
                .unknownCode,
                note.map { "the ConceptMap lists this local code with no target (\($0))" }
                    ?? "local code has no mapping",
                field: field, value: LocalJSONText.quoted(code), conceptMap: searched(role))
        }
        return codings
    }

    /// The one code a local code maps to in `system` (a FHIR status, the product table).
    func code(for code: String, role: LocalCodeRole, in system: String, field: String) throws(LocalRecordError) -> MappedCoding {
        let all = try codings(for: code, role: role, field: field).filter { $0.system == system }
        guard all.count == 1 else {
            throw LocalRecordError(
                .unknownCode, all.isEmpty ? "local code has no mapping to \(system)"
                    : "local code maps to \(all.count) codes of \(system); exactly one is needed",
                field: field, value: LocalJSONText.quoted(code), conceptMap: searched(role))
        }
        return all[0]
    }

    /// The UCUM code of a unit as typed.
    func ucum(for unit: String, field: String) throws(LocalRecordError) -> String {
        let targets = terminology.translate(unit, from: localSystems[.unit]!).filter { $0.system == FHIRSystems.ucum }
        guard targets.count == 1 else {
            throw LocalRecordError(
                .unknownUnit, targets.isEmpty ? "unit is not in the unit map" : "unit maps to more than one UCUM code",
                field: field, value: LocalJSONText.quoted(unit), conceptMap: searched(.unit))
        }
        return targets[0].code
    }

    // MARK: Reverse lookups (FHIR → local)

    /// The local code that FHIR codings map back to.
    /// - Throws: `ambiguousCode` naming the codings, the candidates and the ConceptMaps searched.
    func localCode(for codings: [(system: String, code: String)], role: LocalCodeRole, fhirPath: String) throws(LocalRecordError) -> String {
        let shown = codings.map { "\($0.system)|\($0.code)" }.joined(separator: ", ")
        switch terminology.reverse(codings, to: localSystems[role]!) {
        case .found(let local): return local
        case .none:
            throw LocalRecordError(.unknownCode, "no local code maps to \(shown.isEmpty ? "(no coding)" : shown)",
                                   conceptMap: searched(role), fhirPath: fhirPath)
        case .ambiguous(let candidates):
            throw LocalRecordError(
                .ambiguousCode,
                "\(shown) maps back to more than one local code (\(candidates.joined(separator: ", "))); mark the one to use as equal, or the others as wider",
                conceptMap: searched(role), fhirPath: fhirPath)
        }
    }

    /// The local unit text for a FHIR unit: the text in `Quantity.unit` when the unit map maps it
    /// to `Quantity.code`; otherwise the local spelling identical to the UCUM code, if the map
    /// has one; otherwise the local unit that maps back to the code.
    func localUnit(text: String?, code: String?, fhirPath: String) throws(LocalRecordError) -> String? {
        guard let code else {
            guard let text else { return nil }
            // A unit text without a code: accepted only when the map knows the text.
            _ = try ucum(for: text, field: fhirPath)
            return text
        }
        for spelling in [text, code].compactMap({ $0 }) where mapsToUCUM(spelling, code) {
            return spelling
        }
        return try localCode(for: [(FHIRSystems.ucum, code)], role: .unit, fhirPath: fhirPath)
    }

    private func mapsToUCUM(_ spelling: String, _ code: String) -> Bool {
        terminology.translate(spelling, from: localSystems[.unit]!)
            .contains { $0.system == FHIRSystems.ucum && $0.code == code }
    }
}
