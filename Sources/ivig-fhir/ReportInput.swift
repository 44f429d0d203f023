import FHIRBatch
import FHIRCore
import FHIRJSON
import FHIRXML
import Foundation
import IVIGReport

/// The one place `report` reads records: through the record pipeline every command shares
/// (discovery, format detection, NDJSON lines and Bundle entries streamed one by one).
///
/// With patients named, memory holds only their records: a record is decoded only when its
/// bytes mention a named patient or it is a Medication (kept only when a kept record names it).
struct ReportInput {
    let paths: [String]
    /// The patient ids to keep; empty keeps everyone.
    let patients: Set<String>

    /// The records of the patients, and a problem per record that could not be read.
    func records() throws -> (resources: [AnyResource], problems: [String]) {
        let planned: RecordPipeline.Planned
        do {
            planned = try RecordPipeline(inputs: paths, bundleSplitting: .always).plan()
        } catch {
            throw ReportInputError(description: error.description)
        }
        var kept: [AnyResource] = []
        var problems: [String] = []
        RecordPipeline.read(planned.inputs, limits: .default) { item in
            switch item {
            case .records(let index, let records):
                for record in records {
                    do {
                        kept += try decode(record, isXML: planned.inputs[index].isXML).filter(keep)
                    } catch {
                        problems.append("\(record.origin.input):\(record.origin.line): \(error)")
                    }
                }
            case .inputFailed(let index, let failure):
                problems.append("\(planned.inputs[index].input.displayName): \(failure)")
            default:
                break
            }
            return true
        }
        // Medications are kept only when a kept record names them.
        let named = Set(kept.flatMap(ReportBuilderInput.medicationReferences))
        kept = kept.filter { resource in
            guard case .medication(let medication) = resource else { return true }
            return patients.isEmpty || named.contains("Medication/" + (medication.id?.value ?? ""))
        }
        return (kept, problems)
    }

    /// The resources of one record (a Bundle's entries flattened); none when the record's
    /// bytes name no kept patient.
    private func decode(_ record: RawRecord, isXML: Bool) throws -> [AnyResource] {
        if let problem = record.framingProblem { throw problem }
        switch record.payload {
        case .bytes(let bytes):
            guard patients.isEmpty || mentionsPatient(bytes[...]) || isMedication(bytes[...]) else { return [] }
            if case .bundleEntry = record.origin.position {
                let entry = try FHIRJSONDecoder().decode(FHIRCore.Bundle.Entry.self, from: bytes)
                return ReportBuilderInput.flattened(entry.resource.map { [$0] } ?? [])
            }
            let resource =
                isXML
                ? try FHIRXMLDecoder().decode(AnyResource.self, from: bytes)
                : try FHIRJSONDecoder().decode(AnyResource.self, from: bytes)
            return ReportBuilderInput.flattened([resource])
        case .xmlEntry(let parsed):
            let entry = try parsed.decode(lenient: false).entry
            return ReportBuilderInput.flattened(entry.resource.map { [$0] } ?? [])
        }
    }

    private func keep(_ resource: AnyResource) -> Bool {
        if case .medication = resource { return true }
        guard !patients.isEmpty else { return true }
        return ReportBuilderInput.patientID(of: resource).map(patients.contains) ?? false
    }

    /// A cheap test before decoding: the record contains `Patient/ID"` or `"id":"ID"`.
    private func mentionsPatient(_ line: ArraySlice<UInt8>) -> Bool {
        patients.contains { id in
            contains(line, Array("Patient/\(id)\"".utf8)) || contains(line, Array("\"id\":\"\(id)\"".utf8))
        }
    }

    private func isMedication(_ line: ArraySlice<UInt8>) -> Bool {
        contains(line, Array(#""resourceType":"Medication""#.utf8))
    }

    private func contains(_ haystack: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, haystack.count >= needle.count else { return false }
        var index = haystack.startIndex
        let last = haystack.endIndex - needle.count
        while index <= last {
            if haystack[index] == first && haystack[index..<(index + needle.count)].elementsEqual(needle) {
                return true
            }
            index += 1
        }
        return false
    }
}

/// Small helpers from the report library the adapter uses.
enum ReportBuilderInput {
    static func flattened(_ resources: [AnyResource]) -> [AnyResource] {
        resources.flatMap { resource -> [AnyResource] in
            if case .bundle(let bundle) = resource { return flattened(bundle.entry.compactMap(\.resource)) }
            return [resource]
        }
    }

    static func patientID(of resource: AnyResource) -> String? { ReportBuilder.patientID(of: resource) }

    static func medicationReferences(_ resource: AnyResource) -> [String] {
        switch resource {
        case .medicationRequest(let order):
            if case .reference(let reference)? = order.medication, let text = reference.reference?.value {
                return [text]
            }
        case .medicationAdministration(let administration):
            if case .reference(let reference)? = administration.medication, let text = reference.reference?.value {
                return [text]
            }
        default: break
        }
        return []
    }
}

/// An input file that cannot be opened.
struct ReportInputError: Error, CustomStringConvertible {
    let description: String
}
