internal import CLibXML2

/// libxml2 parser options, as a Swift option set.
///
/// Only the options ivig-fhir uses are named. Options that weaken the parser against hostile
/// input (`XML_PARSE_NOENT`, `XML_PARSE_DTDLOAD`, `XML_PARSE_HUGE`) are deliberately absent,
/// so no code path can pass them.
struct XMLParseOptions: OptionSet {
    let rawValue: Int32

    init(rawValue: Int32) { self.rawValue = rawValue }

    private init(_ option: xmlParserOption) { rawValue = Int32(bitPattern: option.rawValue) }

    /// Keep libxml2 from printing errors; they are collected through the context's handler.
    /// The corresponding libxml2 symbol is `XML_PARSE_NOERROR`.
    static let noError = XMLParseOptions(XML_PARSE_NOERROR)

    /// Keep libxml2 from printing warnings. The corresponding libxml2 symbol is `XML_PARSE_NOWARNING`.
    static let noWarning = XMLParseOptions(XML_PARSE_NOWARNING)

    /// Forbid any network access while parsing. The corresponding libxml2 symbol is `XML_PARSE_NONET`.
    static let noNetwork = XMLParseOptions(XML_PARSE_NONET)

    /// Report CDATA sections as plain text. The corresponding libxml2 symbol is `XML_PARSE_NOCDATA`.
    static let cdataAsText = XMLParseOptions(XML_PARSE_NOCDATA)

    /// Record line numbers above 65535. The corresponding libxml2 symbol is `XML_PARSE_BIG_LINES`.
    static let bigLines = XMLParseOptions(XML_PARSE_BIG_LINES)

    /// What every FHIR parse uses: quiet, offline, no entity substitution, no DTD loading,
    /// libxml2's default size and depth limits (no `XML_PARSE_HUGE`).
    static let hardened: XMLParseOptions = [.noError, .noWarning, .noNetwork, .cdataAsText, .bigLines]
}

/// How serious a libxml2 diagnostic is.
enum XMLErrorLevel {
    /// The corresponding libxml2 symbol is `XML_ERR_WARNING`.
    case warning
    /// The corresponding libxml2 symbol is `XML_ERR_ERROR`.
    case error
    /// The corresponding libxml2 symbol is `XML_ERR_FATAL`.
    case fatal

    init(_ level: xmlErrorLevel) {
        switch level {
        case XML_ERR_WARNING: self = .warning
        case XML_ERR_ERROR: self = .error
        default: self = .fatal
        }
    }
}
