import FHIRCore

/// What every container of one decode shares: the options and the user info handed to models.
final class XMLDecodingState {
    let options: FHIRDecodingOptions
    let userInfo: [CodingUserInfoKey: Any]

    init(options: FHIRDecodingOptions) {
        self.options = options
        userInfo = [.fhirDecodingOptions: options]
    }

    var isLenient: Bool { options.unknownElements == .lenient }
}

/// Type tests the containers use to pick the XML shape of a key from the Swift type asked for.
enum XMLValueKind {
    /// `Bool`, `Int32`, `String`, `FHIRDecimal`, dates: the `value` attribute.
    static func isPrimitive(_ type: Any.Type) -> Bool { type is any FHIRPrimitiveValue.Type }
    /// `[V?]` for a primitive `V`: one `value` attribute per repeated element.
    static func isPrimitiveArray(_ type: Any.Type) -> Bool { type is any XMLOptionalPrimitiveArray.Type }
    /// `PrimitiveMetadata`: the `id` attribute and `extension` children of a primitive element.
    static func isMetadata(_ type: Any.Type) -> Bool { type == PrimitiveMetadata.self }
}

/// Marks `[V?]` where `V` is a FHIR primitive value (a repeating primitive's values).
protocol XMLOptionalPrimitiveArray {}
/// Marks `V?` where `V` is a FHIR primitive value.
protocol XMLOptionalPrimitive {}
extension Optional: XMLOptionalPrimitive where Wrapped: FHIRPrimitiveValue {}
extension Array: XMLOptionalPrimitiveArray where Element: XMLOptionalPrimitive {}

extension XMLElement {
    /// `<name>` with its line, for messages.
    var described: String { "<\(name)> (line \(line))" }

    /// Whether a primitive element carries its `_name` part: an `id` attribute or child
    /// elements (extensions; anything else is then reported as unknown by the metadata decode).
    var hasPrimitiveMetadata: Bool {
        attribute("id") != nil || children.contains { if case .element = $0 { true } else { false } }
    }
}
