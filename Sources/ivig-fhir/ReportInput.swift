import FHIRBatch
import FHIRCore
import FHIRJSON
import FHIRValidationIO
import FHIRXML
import Foundation
import IVIGReport

/// The one place `report` reads records: the adapter to the project's record reading
/// (FHIRValidationIO's inputs and decoders today; the unified record pipeline later).
///
/// With patients named, memory holds only their records: an NDJSON file (`.ndjson`, `.jsonl`)
/// is read in chunks, line by line, and a line is decoded only when it mentions a named patient
/// or is a Medication (kept only when a kept record names it). Whole JSON and XML documents,
/// and standard input, are read whole as `validate` reads them.
struct ReportInput {
    let paths: [String]
    /// The patient ids to keep; empty keeps everyone.
    let patients: Set<String>

    /// The records of the patients, and a problem per record that could not be read.
    func records() throws -> (resources: [AnyResource], problems: [String]) {
        var kept: [AnyResource] = []
        var problems: [String] = []
        var sources: [ValidationSource] = []
        for input in try InputDiscovery.discover(paths).inputs {
            guard case .file(let path) = input.location,
                ["ndjson", "jsonl"].contains((path as NSString).pathExtension.lowercased())
            else {
                sources.append(try ValidationSource(path: input.location == .standardInput ? "-" : input.displayName))
                continue
            }
            try forEachLine(ofFile: path) { line, number in
                guard patients.isEmpty || mentionsPatient(line) || isMedication(line) else { return }
                do {
                    let resource = try FHIRJSONDecoder().decode(AnyResource.self, from: Array(line))
                    if keep(resource) { kept.append(resource) }
                } catch {
                    problems.append("\(path):\(number): \(error)")
                }
            }
        }
        for source in sources {
            switch source.format {
            case .ndjson:
                forEachLine(source) { line, number in
                    guard patients.isEmpty || mentionsPatient(line) || isMedication(line) else { return }
                    do {
                        let resource = try FHIRJSONDecoder().decode(AnyResource.self, from: Array(line))
                        if keep(resource) { kept.append(resource) }
                    } catch {
                        problems.append("\(source.name):\(number): \(error)")
                    }
                }
            case .json, .xml:
                do {
                    let resource =
                        source.format == .json
                        ? try FHIRJSONDecoder().decode(AnyResource.self, from: source.bytes)
                        : try FHIRXMLDecoder().decode(AnyResource.self, from: source.bytes)
                    kept += ReportBuilderInput.flattened([resource]).filter(keep)
                } catch {
                    problems.append("\(source.name): \(error)")
                }
            case .unknown:
                problems.append("\(source.name): neither FHIR JSON nor FHIR XML")
            }
        }
        // Medications are kept only when a kept record names them.
        let named = Set(kept.flatMap(ReportBuilderInput.medicationReferences))
        kept = kept.filter { resource in
            guard case .medication(let medication) = resource else { return true }
            return patients.isEmpty || named.contains("Medication/" + (medication.id?.value ?? ""))
        }
        return (kept, problems)
    }

    private func keep(_ resource: AnyResource) -> Bool {
        if case .medication = resource { return true }
        guard !patients.isEmpty else { return true }
        return ReportBuilderInput.patientID(of: resource).map(patients.contains) ?? false
    }

    /// A cheap test before decoding: the line contains `Patient/ID"` or `"id":"ID"`.
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

    /// Each non-empty line of an NDJSON file with its line number, reading 1 MiB at a time.
    private func forEachLine(ofFile path: String, _ body: (ArraySlice<UInt8>, Int) -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ReportInputError(description: "\(path): error: the input cannot be read")
        }
        defer { try? handle.close() }
        var pending: [UInt8] = []
        var number = 0
        func emit(_ line: ArraySlice<UInt8>) {
            number += 1
            var trimmed = line
            if trimmed.last == 0x0D { trimmed = trimmed.dropLast() }
            if !trimmed.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { body(trimmed, number) }
        }
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            pending += chunk
            var start = pending.startIndex
            while let end = pending[start...].firstIndex(of: 0x0A) {
                emit(pending[start..<end])
                start = end + 1
            }
            pending.removeSubrange(..<start)
        }
        if !pending.isEmpty { emit(pending[...]) }
    }

    /// Each non-empty line of an NDJSON source with its line number.
    private func forEachLine(_ source: ValidationSource, _ body: (ArraySlice<UInt8>, Int) -> Void) {
        var number = 0
        for line in source.bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            number += 1
            var trimmed = line
            if trimmed.last == 0x0D { trimmed = trimmed.dropLast() }
            if !trimmed.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { body(trimmed, number) }
        }
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
