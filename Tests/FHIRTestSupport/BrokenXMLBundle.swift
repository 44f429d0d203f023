/// A FHIR XML Bundle of good entries followed by a malformed part, for the tests that hold the
/// streamed Bundle readers to "every entry before the break comes out, then the break": libxml2
/// parses ahead of its reader, so the break stops it while entries before it are parsed but
/// not yet read.
public struct BrokenXMLBundle: Sendable {
    /// Ways to break a Bundle, each on one line: the line libxml2 names.
    public enum Break: String, CaseIterable, Sendable {
        /// A start tag left open inside an entry.
        case mismatchedTag = #"<entry><resource><Patient><id value="x"></Patient></resource></entry>"#
        /// Garbage at the Bundle's top level, right after the last good entry.
        case garbageBetweenEntries = "<<entry/>"
        /// An entity that is not declared, between entries.
        case undeclaredEntity = "&bogus;"
        /// A namespace prefix that is not declared (an error libxml2 goes on after).
        case undeclaredPrefix = #"<entry><resource><Patient><x:id value="x"/></Patient></resource></entry>"#
        /// The input ends inside an entry.
        case truncated = "<entry><resource><Patient>"
    }

    /// How many good entries come before the break.
    public let good: Int
    /// The break.
    public let breaking: Break

    public init(good: Int, then breaking: Break) {
        self.good = good
        self.breaking = breaking
    }

    /// The ids of the good entries' Patients, in order: `p0`, `p1`…
    public var ids: [String] { (0..<good).map { "p\($0)" } }
    /// The line of each good entry (one a line, from line 3).
    public var entryLines: [Int] { (0..<good).map { $0 + 3 } }
    /// The line of the break.
    public var breakLine: Int { good + 3 }

    /// The document: entries of varying sizes, so that the break falls anywhere in libxml2's
    /// blocks of input, and after the break more entries that must not come out.
    public var text: String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Bundle xmlns=\"http://hl7.org/fhir\">"
        for index in 0..<good {
            let padding = String(repeating: "n", count: index * 37 % 300 + 1)
            xml += "\n<entry><resource><Patient><id value=\"p\(index)\"/>"
            xml += "<name><text value=\"\(padding)\"/></name></Patient></resource></entry>"
        }
        xml += "\n" + breaking.rawValue
        if breaking != .truncated { xml += "\n<entry><resource><Patient/></resource></entry>\n</Bundle>\n" }
        return xml
    }

    public var bytes: [UInt8] { Array(text.utf8) }
}
