import DecimalGrammar

/// A FHIR `decimal`, kept as the exact text it was written with.
///
/// `1.50`, `0.010`, `1e-3` and `100` are different spellings with different precision, and FHIR
/// says the precision is part of the value; so the lexeme is stored and written back unchanged.
/// It is never converted through `Double`.
///
/// Wire format: a JSON number (its lexeme, as written) or the XML `value` attribute.
///
/// It is deliberately not `ExpressibleByStringLiteral`: Swift would then route
/// `try FHIRDecimal("01.5")` through the literal initializer, which cannot throw.
public struct FHIRDecimal: FHIRPrimitiveValue, CustomStringConvertible {
    /// The decimal exactly as written, e.g. `"1.50"` or `"1.0e-245"`.
    public let text: String

    /// Creates a decimal from its text.
    /// - Throws: ``FHIRPrimitiveFormatError`` when the text is not a FHIR decimal
    ///   (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`).
    public init(_ text: String) throws {
        guard Self.isValid(text) else {
            throw FHIRPrimitiveFormatError(
                type: "decimal", text: text,
                expected: "a number such as 2, 0.4 or 1.0e-3 (no leading zeros, no '+', no NaN)")
        }
        self.text = text
    }

    public var description: String { text }

    /// Whether `text` matches FHIR's decimal grammar, which is JSON's number grammar
    /// (``DecimalGrammar``).
    public static func isValid(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { DecimalGrammar.matches($0) }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text: String
        if let fhir = container as? any FHIRSingleValueDecodingContainer {
            text = try fhir.decodeDecimalText()
        } else if let string = try? container.decode(String.self) {
            text = string
        } else {
            // A decoder that does not know FHIR can only give a binary number.
            text = String(describing: try container.decode(Double.self))
        }
        self = try FHIRPrimitiveFormatError.reported(at: container.codingPath) { try FHIRDecimal(text) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if var fhir = container as? any FHIRSingleValueEncodingContainer {
            try fhir.encodeDecimalText(text)
        } else {
            try container.encode(text)
        }
    }
}

/// A primitive's text does not match the format its FHIR type requires.
public struct FHIRPrimitiveFormatError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The FHIR type, e.g. `dateTime`.
    public let type: String
    /// The text found.
    public let text: String
    /// What a valid value looks like.
    public let expected: String

    public var description: String { "'\(text)' is not a valid FHIR \(type): expected \(expected)" }

    /// Runs a primitive's initializer inside `init(from:)`, turning a format error into the
    /// `DecodingError` the codecs place by coding path.
    static func reported<T>(at codingPath: [any CodingKey], _ make: () throws -> T) throws -> T {
        do {
            return try make()
        } catch let error as FHIRPrimitiveFormatError {
            throw DecodingError.fhir(.invalidPrimitive, error.description, at: codingPath)
        }
    }
}

/// Decoders that can hand a primitive's raw text to the model (FHIR JSON and XML decoders).
///
/// Decimals need the number's lexeme, which `SingleValueDecodingContainer` cannot give, and the
/// narrative needs its XHTML as text whatever the wire format holds it as.
public protocol FHIRSingleValueDecodingContainer: SingleValueDecodingContainer {
    /// The exact source text of a decimal (a JSON number token, or an XML `value` attribute).
    func decodeDecimalText() throws -> String
    /// The narrative `div` as XHTML text (a JSON string, or an XML subtree serialized).
    func decodeXHTML() throws -> String
}

/// Encoders that can write a primitive's raw text (FHIR JSON and XML encoders).
public protocol FHIRSingleValueEncodingContainer: SingleValueEncodingContainer {
    /// Writes a decimal's text unchanged (as a JSON number, or an XML `value` attribute).
    mutating func encodeDecimalText(_ text: String) throws
    /// Writes the narrative `div` (a JSON string, or an XML subtree).
    mutating func encodeXHTML(_ xhtml: String) throws
}
