import FHIRCore
import FHIRXML

/// Streams the entries of a FHIR XML Bundle through ``FHIRXMLBundleEntryReader`` (libxml2's
/// `xmlTextReader`), so memory holds one entry at a time. Entries are parsed here, on the reading
/// thread, and decoded later on the worker threads.
///
/// libxml2 reads from a pipe that a small pump thread fills from the ``InputReader``. That way
/// standard input streams too (its first bytes, read for format detection, are sent first), and
/// the bytes read are counted for the progress line like any other input.
final class XMLBundleSource: RecordSource {
    private let pump: BytePump
    private var reader: FHIRXMLBundleEntryReader?
    private let name: String
    private var finished = false

    init(reader input: InputReader, limits: FHIRReadLimits = .default) throws(InputFailure) {
        name = input.input.displayName
        do { pump = try BytePump(source: input) } catch { throw .io(error) }
        do {
            reader = try FHIRXMLBundleEntryReader(path: pump.readPath, limits: FHIRXMLLimits(limits))
        } catch {
            pump.stop()
            throw .unusable(error, partial: [])
        }
        pump.closeReadEnd()  // libxml2 holds its own descriptor now
    }

    deinit {
        reader = nil
        pump.stop()
    }

    func next() throws(InputFailure) -> RawRecord? {
        guard !finished, reader != nil else { return nil }
        do {
            guard let parsed = try readEntry() else {
                finish()
                if let error = pump.failure { throw InputFailure.io(error) }
                return nil
            }
            let origin = RecordOrigin(
                input: name, position: .bundleEntry(index: parsed.index, line: parsed.line, column: parsed.column),
                byteOffset: 0)
            return RawRecord(origin: origin, payload: .xmlEntry(parsed))
        } catch let failure as InputFailure {
            throw failure
        } catch let error as FHIRDiagnostic {
            finish()
            if let ioError = pump.failure { throw .io(ioError) }
            throw .unusable(error, partial: [])
        } catch {
            finish()
            throw .unusable(FHIRDiagnostic(code: .syntax, message: "\(error)"), partial: [])
        }
    }

    /// The reader's next entry. Kept out of ``next()`` on purpose: a local reference to the
    /// reader there would keep it (and libxml2's end of the pipe) alive through ``finish()``,
    /// whose `pump.stop()` then waits forever for a pump blocked writing to a pipe nobody reads.
    private func readEntry() throws(FHIRDiagnostic) -> FHIRXMLParsedBundleEntry? {
        guard let reader else { return nil }
        return try reader.next()
    }

    private func finish() {
        finished = true
        reader = nil  // frees libxml2's reader and closes its end of the pipe
        pump.stop()
    }
}
