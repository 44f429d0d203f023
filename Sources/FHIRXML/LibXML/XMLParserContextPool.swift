internal import CLibXML2
import FHIRCore

/// Parser contexts kept for the fast parser, so a run of small documents (one per NDJSON-sized
/// record) does not create and free a context, its name dictionary and its stacks for each one:
/// that was a few percent of reading a 1.5 KB resource.
///
/// A context is taken for one parse and given back; `xmlCtxtReadMemory` resets it before use.
/// Its dictionary keeps the names seen (FHIR's element names, a small set); a context whose
/// dictionary grew past ``maxDictionaryNames`` (hostile input with ever new names) is freed
/// instead of kept, as is any context beyond ``maxKept``.
enum XMLParserContextPool {
    /// Contexts kept at most: one per thread that parses at once is enough.
    static let maxKept = 16
    /// Names a kept context's dictionary may hold.
    static let maxDictionaryNames: Int32 = 4096

    private static let lock = Lock()
    nonisolated(unsafe) private static var kept: [xmlParserCtxtPtr] = []

    /// A context ready for `xmlCtxtReadMemory`, or nil when libxml2 cannot allocate one.
    static func take() -> xmlParserCtxtPtr? {
        if let context = lock.withLock({ kept.popLast() }) { return context }
        XMLLibrary.ensureInitialized()
        return xmlNewParserCtxt()
    }

    /// Gives a context back after its parse (its document already freed).
    static func give(_ context: xmlParserCtxtPtr) {
        let reusable = context.pointee.dict.map { xmlDictSize($0) <= maxDictionaryNames } ?? false
        context.pointee._private = nil
        if reusable, lock.withLock({ () -> Bool in
            guard kept.count < maxKept else { return false }
            kept.append(context)
            return true
        }) { return }
        xmlFreeParserCtxt(context)
    }
}
