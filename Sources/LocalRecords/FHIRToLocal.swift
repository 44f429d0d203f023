public import FHIRCore

/// Maps FHIR R4 resources back to local records with a hospital's ``LocalMappings``: the way
/// back of ``LocalToFHIR``, and for resources from elsewhere that carry the same elements.
///
/// Codes come back through the same ConceptMaps read in reverse (the FHIR codings of a concept
/// must agree on one local code); units come back as the text in `Quantity.unit` when the unit
/// map knows it, otherwise as the local unit that maps to `Quantity.code`. Only the elements in
/// the mapping tables of ``LocalToFHIR`` are read; others are ignored.
public struct FHIRToLocal: Sendable {
    /// The mapping set in use.
    public let mappings: LocalMappings

    /// Creates a mapper over a loaded mapping set.
    public init(mappings: LocalMappings) {
        self.mappings = mappings
    }

    /// The local record for one resource.
    /// - Throws: ``LocalRecordError``: `unsupportedResource` for a resource with no local kind
    ///   (a Bundle included: use ``records(for:)``), or a missing or unmappable element, with its FHIRPath.
    public func record(for resource: AnyResource) throws(LocalRecordError) -> LocalRecord {
        switch resource {
        case .medicationRequest(let request): return .order(try order(from: request))
        case .medicationAdministration(let administration): return .infusion(try infusion(from: administration))
        case .observation(let observation): return .assessment(try assessment(from: observation))
        case .adverseEvent(let event): return .reaction(try reaction(from: event))
        default:
            throw LocalRecordError(
                .unsupportedResource,
                "\(resource.resourceType) has no local record kind (MedicationRequest, MedicationAdministration, Observation and AdverseEvent have)",
                fhirPath: resource.resourceType)
        }
    }

    /// The local records of a resource: the entries of a Bundle in order, or the one record of
    /// any other resource.
    /// - Throws: the first entry that cannot be mapped, with the entry's index in its FHIRPath.
    public func records(for resource: AnyResource) throws(LocalRecordError) -> [LocalRecord] {
        guard case .bundle(let bundle) = resource else { return [try record(for: resource)] }
        var records: [LocalRecord] = []
        for (index, entry) in bundle.entry.enumerated() {
            guard let resource = entry.resource else { continue }
            do throws(LocalRecordError) {
                records.append(try record(for: resource))
            } catch {
                var located = error
                located.fhirPath =
                    "Bundle.entry[\(index)].resource.ofType(\(resource.resourceType))"
                    + (error.fhirPath.map(Self.dropType) ?? "")
                throw located
            }
        }
        return records
    }

    /// One resource as one line of local NDJSON (no line break), for `--to local`.
    public func localJSON(for resource: AnyResource) throws(LocalRecordError) -> [UInt8] {
        LocalRecordWriter().json(try record(for: resource))
    }

    /// `MedicationRequest.status` → `.status` (the entry's path already names the type).
    private static func dropType(_ path: String) -> String {
        guard let dot = path.firstIndex(of: ".") else { return "" }
        return String(path[dot...])
    }

    // MARK: Shared pieces

    /// Reads one FHIR resource for one local record, with errors naming the record when its id is known.
    struct Reading {
        let mappings: LocalMappings
        let kind: LocalRecordKind
        let resourceType: String
        var recordID: String?

        func error(_ code: LocalRecordError.Code, _ message: String, field: String?, path: String) -> LocalRecordError {
            var error = LocalRecordError(
                code, message, field: field, fhirPath: resourceType + (path.isEmpty ? "" : "." + path))
            error.recordKind = kind.rawValue
            error.recordID = recordID
            return error
        }

        func require<T>(_ value: T?, field: String, path: String) throws(LocalRecordError) -> T {
            guard let value else {
                throw error(
                    .missingField, "the FHIR element that carries this field is missing", field: field, path: path)
            }
            return value
        }

        /// Adds the record, the local field and the FHIRPath to an error thrown by a lookup
        /// (which knows neither the record nor the local field).
        func attributed(_ error: LocalRecordError, field: String, path: String) -> LocalRecordError {
            var copy = error
            copy.recordKind = kind.rawValue
            copy.recordID = recordID
            copy.field = field
            copy.fhirPath = resourceType + "." + path
            return copy
        }

        /// The value of the identifier in `system` (a local id).
        func localID(_ identifiers: [Identifier], system: String, field: String, path: String) throws(LocalRecordError)
            -> String
        {
            guard let value = identifiers.first(where: { $0.system?.value == system })?.value?.value else {
                throw error(.missingField, "no identifier with system \(system)", field: field, path: path)
            }
            return value
        }

        /// The local id a reference carries in its identifier.
        func referencedID(_ reference: Reference?, system: String, field: String, path: String) throws(LocalRecordError)
            -> String
        {
            try localID(
                reference?.identifier.map { [$0] } ?? [], system: system, field: field, path: path + ".identifier")
        }

        func code(_ codeable: CodeableConcept?, role: LocalCodeRole, field: String, path: String)
            throws(LocalRecordError) -> String
        {
            let codings = try require(codeable, field: field, path: path).coding.compactMap {
                coding -> (system: String, code: String)? in
                guard let system = coding.system?.value, let code = coding.code?.value else { return nil }
                return (system, code)
            }
            do throws(LocalRecordError) {
                return try mappings.localCode(for: codings, role: role, fhirPath: path)
            } catch {
                throw attributed(error, field: field, path: path)
            }
        }

        /// A FHIR status code back to the local status.
        func status(_ status: FHIRPrimitive<String>?, role: LocalCodeRole, field: String) throws(LocalRecordError)
            -> String
        {
            let code = try require(status?.value, field: field, path: "status")
            do throws(LocalRecordError) {
                return try mappings.localCode(for: [(role.requiredTarget!, code)], role: role, fhirPath: "status")
            } catch {
                throw attributed(error, field: field, path: "status")
            }
        }

        func quantity(_ quantity: Quantity?, field: String, path: String) throws(LocalRecordError) -> LocalQuantity {
            let quantity = try require(quantity, field: field, path: path)
            let value = try require(quantity.value?.value, field: field + ".value", path: path + ".value")
            if quantity.code?.value != nil, quantity.system?.value != FHIRSystems.ucum {
                throw error(
                    .invalidValue, "the unit code is not UCUM (system \(quantity.system?.value ?? "absent"))",
                    field: field + ".unit", path: path + ".system")
            }
            do throws(LocalRecordError) {
                let unit = try mappings.localUnit(
                    text: quantity.unit?.value, code: quantity.code?.value, fhirPath: path)
                return LocalQuantity(value: value, unit: unit)
            } catch {
                throw attributed(error, field: field + ".unit", path: path)
            }
        }

        func dateTime(_ value: FHIRPrimitive<FHIRDateTime>?, field: String, path: String) throws(LocalRecordError)
            -> String
        {
            try require(value?.value, field: field, path: path).text
        }

        func string(_ value: FHIRPrimitive<String>?, field: String, path: String) throws(LocalRecordError) -> String {
            try require(value?.value, field: field, path: path)
        }

        /// The contained resource a local reference (`#product`) points to.
        func contained(_ reference: Reference?, in resources: [AnyResource], field: String, path: String)
            throws(LocalRecordError) -> AnyResource
        {
            let target = try require(reference?.reference?.value, field: field, path: path + ".reference")
            guard target.hasPrefix("#"),
                let resource = resources.first(where: { $0.resource.id?.value == String(target.dropFirst()) })
            else {
                throw error(.missingField, "\(target) is not a contained resource", field: field, path: path)
            }
            return resource
        }

        /// The product of a contained Medication (or a medicationCodeableConcept), and its lot.
        func product(
            reference: Reference?, concept: CodeableConcept?, contained: [AnyResource], path: String
        ) throws(LocalRecordError) -> (code: String, lot: String?) {
            if let concept {
                return (try code(concept, role: .product, field: "product", path: "medicationCodeableConcept"), nil)
            }
            let resource = try self.contained(reference, in: contained, field: "product", path: path)
            guard case .medication(let medication) = resource else {
                throw error(
                    .invalidValue, "the medication reference points to a \(resource.resourceType)", field: "product",
                    path: path)
            }
            let code = try code(
                medication.code, role: .product, field: "product", path: "contained.ofType(Medication).code")
            return (code, medication.batch?.lotNumber?.value)
        }

        /// The value of an extension by URL (the first one).
        func extensionValue(_ extensions: [Extension], _ url: String) -> Extension.ValueX? {
            extensions.first(where: { $0.url == url })?.value
        }
    }
}
