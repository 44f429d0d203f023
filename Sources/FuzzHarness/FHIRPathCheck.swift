import FHIRElementModel
import FHIRPath

/// FHIRPath expressions in: the input is one expression. It parses or fails with an error that
/// points inside the expression; what parses evaluates on a small Patient within tight limits,
/// returning a collection or a FHIRPath error, and evaluates to the same result again.
enum FHIRPathCheck {
    /// A small Patient, so expressions reach navigation, types and resolve().
    static let patient: FHIRElement = {
        func primitive(_ name: String, _ type: String, _ value: String) -> FHIRElement {
            FHIRElement(name: name, typeName: type, kind: .primitive, value: value)
        }
        let name = FHIRElement(
            name: "name", typeName: "HumanName", kind: .complex,
            children: [
                primitive("use", "code", "official"), primitive("family", "string", "Chalmers"),
                primitive("given", "string", "Peter"), primitive("given", "string", "James"),
            ])
        let contained = FHIRElement(
            name: "contained", typeName: "Organization", kind: .resource, children: [primitive("id", "id", "o1")])
        let reference = FHIRElement(
            name: "managingOrganization", typeName: "Reference", kind: .complex,
            children: [primitive("reference", "string", "#o1")])
        return FHIRElement(
            name: "Patient", typeName: "Patient", kind: .resource,
            children: [
                primitive("id", "id", "p1"), contained, primitive("active", "boolean", "true"), name,
                primitive("birthDate", "date", "1974-12-25"), reference,
            ])
    }()

    static func check(_ bytes: [UInt8]) throws(FuzzFinding) {
        // Longer inputs only slow the search; the parser's length limit has its own test.
        guard bytes.count <= 4096 else { return }
        let text = String(decoding: bytes, as: UTF8.self)
        let expression: FHIRPathExpression
        do {
            expression = try FHIRPathExpression.parseUncached(text)
        } catch {
            if let offset = error.offset, offset < 0 || offset > text.unicodeScalars.count {
                throw FuzzFinding("parse error points outside the expression (offset \(offset)): \(error.message)")
            }
            _ = error.description
            return
        }
        let environment = FHIRPathEnvironment(maximumCollectionSize: 10_000, maximumSteps: 200_000)
        let first: [String]?
        do {
            first = try expression.evaluate(on: patient, environment: environment).map(\.text)
        } catch {
            first = nil
        }
        guard let first else { return }
        let second = try? expression.evaluate(on: patient, environment: environment).map(\.text)
        // now() and timeOfDay() move between runs; everything else must repeat.
        if second != first, !text.contains("now"), !text.contains("timeOfDay") {
            throw FuzzFinding("\(text.debugDescription) gave \(first), then \(second ?? [])")
        }
    }
}
