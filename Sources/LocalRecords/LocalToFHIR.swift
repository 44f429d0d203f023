public import FHIRCore
internal import IVIGProducts
internal import UCUM

/// Maps local records to FHIR R4 resources with a hospital's ``LocalMappings``.
///
/// - order → `MedicationRequest` (product as a contained `Medication`, dosing weight and height
///   as contained `Observation`s, so the resource stands alone in NDJSON),
/// - infusion → `MedicationAdministration` (product and lot as a contained `Medication`),
/// - assessment → `Observation`,
/// - reaction → `AdverseEvent`.
///
/// Ids are name-based UUIDs of the local id (``fullURL(kind:id:)``), so references between
/// records (infusion → order, assessment → order, reaction → infusion) are the same whether the
/// records travel in one Bundle or in separate files. Every reference also carries the local id
/// as its `identifier`, so the way back needs only the resource itself.
///
/// Nothing is guessed: an unmapped code or unit, a missing field or a unit of the wrong kind
/// (a weight in mL) throws a ``LocalRecordError`` naming the record, field, value and ConceptMap.
public struct LocalToFHIR: Sendable {
    /// The mapping set in use.
    public let mappings: LocalMappings
    /// What the record reader accepts (``LocalRecordReader/limits``).
    public var readLimits: FHIRReadLimits

    /// Creates a mapper over a loaded mapping set.
    /// - Parameters:
    ///   - mappings: the ConceptMaps and tables.
    ///   - readLimits: what the record reader accepts (default ``FHIRReadLimits/default``).
    public init(mappings: LocalMappings, readLimits: FHIRReadLimits = .default) {
        self.mappings = mappings
        self.readLimits = readLimits
    }

    /// The resource for one record.
    /// - Parameters:
    ///   - record: the local record.
    ///   - origin: where it came from, for error messages.
    /// - Throws: ``LocalRecordError``.
    public func resource(for record: LocalRecord, origin: LocalRecordOrigin? = nil) throws(LocalRecordError) -> AnyResource {
        do throws(LocalRecordError) {
            switch record {
            case .order(let order): return .medicationRequest(try medicationRequest(for: order))
            case .infusion(let infusion): return .medicationAdministration(try medicationAdministration(for: infusion))
            case .assessment(let assessment): return .observation(try observation(for: assessment))
            case .reaction(let reaction): return .adverseEvent(try adverseEvent(for: reaction))
            }
        } catch {
            throw error.about(kind: record.kind.rawValue, id: record.id, origin: origin)
        }
    }

    /// The resources for one line of local NDJSON: read, checked and mapped. One record gives
    /// one resource (its Medication and dosing weight are contained in it).
    /// - Parameters:
    ///   - bytes: the JSON object of one record.
    ///   - origin: the input's name and the line number.
    /// - Throws: ``LocalRecordError`` naming record, line, field, value and ConceptMap.
    public func resources(forLine bytes: [UInt8], origin: LocalRecordOrigin) throws(LocalRecordError) -> [AnyResource] {
        let record = try LocalRecordReader(limits: readLimits).record(fromJSON: bytes, origin: origin)
        return [try resource(for: record, origin: origin)]
    }

    /// A `collection` Bundle of resources, each entry's `fullUrl` the `urn:uuid:` of its id.
    public func bundle(for resources: [AnyResource]) -> Bundle {
        Bundle(
            type: "collection",
            entry: resources.map { resource in
                Bundle.Entry(fullUrl: resource.resource.id?.value.map { .init("urn:uuid:" + $0) }, resource: resource)
            })
    }

    /// Every record of local NDJSON mapped into one Bundle; the records that cannot be read or
    /// mapped are returned as rejects (nothing is dropped silently: entries + rejects = records).
    /// - Parameters:
    ///   - bytes: local NDJSON.
    ///   - file: the input's name, for error messages.
    public func bundle(forNDJSON bytes: [UInt8], file: String? = nil) -> (bundle: Bundle, rejects: [LocalRecordError]) {
        var resources: [AnyResource] = []
        var rejects: [LocalRecordError] = []
        for line in LocalNDJSON.lines(bytes, file: file) {
            do throws(LocalRecordError) {
                resources += try self.resources(forLine: line.bytes, origin: line.origin)
            } catch {
                rejects.append(error)
            }
        }
        return (bundle(for: resources), rejects)
    }

    /// The `urn:uuid:` full URL a local record gets: a name-based UUID of its identifier system
    /// and id, so it is the same in every run.
    public func fullURL(kind: LocalRecordKind, id: String) -> String {
        "urn:uuid:" + resourceID(kind: kind, id: id)
    }

    /// The resource id of a local record (the UUID of ``fullURL(kind:id:)``).
    public func resourceID(kind: LocalRecordKind, id: String) -> String {
        NameBasedUUID.uuid(forURL: mappings.identifierSystems.system(for: kind) + "|" + id)
    }

    // MARK: Shared pieces

    func identifier(kind: LocalRecordKind, id: String) -> Identifier {
        Identifier(system: .init(mappings.identifierSystems.system(for: kind)), value: .init(id))
    }

    /// A reference to another local record: its `urn:uuid:` plus its local id.
    func reference(to kind: LocalRecordKind, id: String, type: String) -> Reference {
        Reference(reference: .init(fullURL(kind: kind, id: id)), type: .init(type),
                  identifier: identifier(kind: kind, id: id))
    }

    /// The patient, by MRN (a logical reference: the local records hold no Patient).
    func patient(_ mrn: String) -> Reference {
        Reference(type: "Patient", identifier: Identifier(system: .init(mappings.identifierSystems.patient), value: .init(mrn)))
    }

    /// A member of staff, by staff id.
    func staff(_ id: String) -> Reference {
        Reference(type: "Practitioner", identifier: Identifier(system: .init(mappings.identifierSystems.staff), value: .init(id)))
    }

    func concept(_ codings: [MappedCoding]) -> CodeableConcept {
        CodeableConcept(coding: codings.map {
            Coding(system: .init($0.system), code: .init($0.code), display: $0.display.map { .init($0) })
        })
    }

    func concept(system: String, code: String, display: String? = nil) -> CodeableConcept {
        concept([MappedCoding(system: system, code: code, display: display)])
    }

    var intravenous: CodeableConcept {
        concept(system: FHIRSystems.snomed, code: FHIRCodes.intravenousRoute.code, display: FHIRCodes.intravenousRoute.display)
    }

    func dateTime(_ text: String, field: String) throws(LocalRecordError) -> FHIRPrimitive<FHIRDateTime> {
        do {
            return .init(try FHIRDateTime(text))
        } catch {
            throw LocalRecordError(.invalidValue, "not a date-time (\(FHIRDateTime.expectedFormat))",
                                   field: field, value: LocalJSONText.quoted(text))
        }
    }

    /// A FHIR Quantity for a local one: the value as written, the typed unit kept in `unit`, its
    /// UCUM code in `code`.
    /// - Parameter kinds: UCUM units the value must be commensurable with (one of them), e.g.
    ///   `["kg"]` for a weight; empty to accept any unit or none.
    func quantity(_ local: LocalQuantity, field: String, kinds: [UCUMUnit] = []) throws(LocalRecordError) -> Quantity {
        guard let unit = local.unit else {
            if !kinds.isEmpty {
                throw LocalRecordError(.missingField, "required field is missing (a unit such as \(kinds[0].code))",
                                       field: field + ".unit")
            }
            return Quantity(value: .init(local.value))
        }
        let code = try mappings.ucum(for: unit, field: field + ".unit")
        if !kinds.isEmpty, let parsed = mappings.ucumUnits[code], !kinds.contains(where: parsed.isCommensurable(with:)) {
            throw LocalRecordError(
                .invalidValue, "unit \(LocalJSONText.quoted(unit)) (UCUM \(code)) is not a unit of this field (expected units like \(kinds.map(\.code).joined(separator: " or ")))",
                field: field + ".unit", value: LocalJSONText.quoted(unit), conceptMap: mappings.searched(.unit))
        }
        return Quantity(value: .init(local.value), unit: .init(unit), system: .init(FHIRSystems.ucum), code: .init(code))
    }

    /// Units a field accepts, by kind of quantity: a unit must be commensurable with one of them.
    enum Kinds {
        static let mass = units("g")
        static let bodyWeight = units("kg")
        static let length = units("cm")
        static let dosePerKg = units("g/kg")
        static let volume = units("mL")
        static let duration = units("d")
        /// Volume per time, volume per kg per time, mass per kg per time, mass per time.
        static let rate = units("mL/h", "mL/kg/h", "mg/kg/min", "g/h")

        private static func units(_ codes: String...) -> [UCUMUnit] {
            codes.map { try! UCUMUnit($0) }  // fixed, valid UCUM codes
        }
    }

    /// The contained Medication for a product: ivig-product, ATC and SNOMED CT codings, and the
    /// concentration from the product table as the ingredient's strength.
    func medication(product: String, lot: String?, field: String) throws(LocalRecordError) -> Medication {
        let codings = try mappings.codings(for: product, role: .product, field: field)
        let tableCode = try mappings.code(for: product, role: .product, in: FHIRSystems.ivigProduct, field: field)
        guard let row = mappings.products.product(code: tableCode.code) else {
            throw LocalRecordError(.unknownCode, "maps to \(tableCode.code), which the product table does not list",
                                   field: field, value: LocalJSONText.quoted(product), conceptMap: mappings.searched(.product))
        }
        let units = row.strengthUnits
        let strength = Ratio(
            numerator: Quantity(value: .init(row.strengthValue), unit: .init(units.numerator),
                                system: .init(FHIRSystems.ucum), code: .init(units.numerator)),
            denominator: Quantity(value: .init(try! FHIRDecimal("1")), unit: .init(units.denominator),
                                  system: .init(FHIRSystems.ucum), code: .init(units.denominator)))
        return Medication(
            id: "product",
            code: concept(codings),
            ingredient: [Medication.Ingredient(
                item: .codeableConcept(CodeableConcept(text: .init(FHIRCodes.immunoglobulinText))),
                isActive: true, strength: strength)],
            batch: lot.map { Medication.Batch(lotNumber: .init($0)) })
    }

    func note(_ text: String?) -> [Annotation] {
        text.map { [Annotation(text: .init($0))] } ?? []
    }
}
