import ExactArithmetic
import UCUM

/// UCUM expressions in: the input is one unit code, or two separated by a newline. A code that
/// parses has a display name and converts to itself exactly; two commensurable codes convert
/// both ways.
enum UCUMCheck {
    static func check(_ bytes: [UInt8]) throws(FuzzFinding) {
        let text = String(decoding: bytes, as: UTF8.self)
        let codes = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        for code in codes {
            guard (try? UCUM.parse(code)) != nil else { continue }
            guard UCUM.validate(code) == nil else {
                throw FuzzFinding("UCUM.parse accepts \(code.debugDescription) but UCUM.validate refuses it")
            }
            _ = try? UCUM.displayName(code)
            if let same = try? UCUM.convert("1", from: code, to: code), !same.usedFloatingPoint,
                same.value != ExactDecimal(1)
            {
                throw FuzzFinding("1 \(code.debugDescription) converts to \(same.value) of itself")
            }
        }
        guard codes.count == 2, (try? UCUM.isCommensurable(codes[0], codes[1])) == true else { return }
        _ = try? UCUM.convert("2.5", from: codes[0], to: codes[1])
        _ = try? UCUM.convert("2.5", from: codes[1], to: codes[0])
    }
}
