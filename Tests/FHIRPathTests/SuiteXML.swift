/// A small XML reader for the official test suite's file (elements, attributes, text,
/// the five predefined entities and numeric references): enough for `tests-fhir-r4.xml`,
/// which is plain and well formed, without a dependency on libxml2 in this test target.
final class SuiteXMLNode {
    let name: String
    var attributes: [String: String] = [:]
    var children: [SuiteXMLNode] = []
    var text = ""

    init(name: String) { self.name = name }

    func elements(_ name: String) -> [SuiteXMLNode] { children.filter { $0.name == name } }

    static func parse(_ source: String) -> SuiteXMLNode? {
        var reader = Reader(scalars: Array(source.unicodeScalars))
        return reader.document()
    }

    private struct Reader {
        let scalars: [Unicode.Scalar]
        var position = 0

        func peek(_ text: String) -> Bool {
            var index = position
            for c in text.unicodeScalars {
                guard index < scalars.count, scalars[index] == c else { return false }
                index += 1
            }
            return true
        }

        mutating func skip(past text: String) {
            while position < scalars.count, !peek(text) { position += 1 }
            position = min(scalars.count, position + text.unicodeScalars.count)
        }

        mutating func document() -> SuiteXMLNode? {
            let root = SuiteXMLNode(name: "#document")
            var stack = [root]
            var text = String.UnicodeScalarView()
            while position < scalars.count {
                if peek("<?") {
                    skip(past: "?>")
                } else if peek("<!--") {
                    skip(past: "-->")
                } else if peek("<![CDATA[") {
                    position += 9
                    while position < scalars.count, !peek("]]>") {
                        text.append(scalars[position])
                        position += 1
                    }
                    position += 3
                } else if peek("</") {
                    stack.last?.text += Self.decode(String(text))
                    text = String.UnicodeScalarView()
                    skip(past: ">")
                    if stack.count > 1 { stack.removeLast() }
                } else if peek("<") {
                    stack.last?.text += Self.decode(String(text))
                    text = String.UnicodeScalarView()
                    position += 1
                    let node = SuiteXMLNode(name: name())
                    var selfClosing = false
                    while position < scalars.count {
                        while position < scalars.count, scalars[position].properties.isWhitespace { position += 1 }
                        if peek("/>") {
                            selfClosing = true
                            position += 2
                            break
                        }
                        if peek(">") {
                            position += 1
                            break
                        }
                        let attribute = name()
                        while position < scalars.count, scalars[position] != "=" { position += 1 }
                        position += 1
                        while position < scalars.count, scalars[position] != "\"", scalars[position] != "'" {
                            position += 1
                        }
                        let quote = scalars[position]
                        position += 1
                        var value = String.UnicodeScalarView()
                        while position < scalars.count, scalars[position] != quote {
                            value.append(scalars[position])
                            position += 1
                        }
                        position += 1
                        node.attributes[attribute] = Self.decode(String(value))
                    }
                    stack.last?.children.append(node)
                    if !selfClosing { stack.append(node) }
                } else {
                    text.append(scalars[position])
                    position += 1
                }
            }
            return root.children.first
        }

        mutating func name() -> String {
            var result = String.UnicodeScalarView()
            while position < scalars.count {
                let c = scalars[position]
                if c.properties.isWhitespace || c == ">" || c == "/" || c == "=" { break }
                result.append(c)
                position += 1
            }
            return String(result)
        }

        static func decode(_ text: String) -> String {
            guard text.contains("&") else { return text }
            var result = ""
            var rest = Substring(text)
            while let amp = rest.firstIndex(of: "&") {
                result += rest[..<amp]
                guard let semi = rest[amp...].firstIndex(of: ";") else { break }
                let entity = rest[rest.index(after: amp)..<semi]
                switch entity {
                case "lt": result += "<"
                case "gt": result += ">"
                case "amp": result += "&"
                case "quot": result += "\""
                case "apos": result += "'"
                default:
                    if entity.hasPrefix("#x"), let value = UInt32(entity.dropFirst(2), radix: 16),
                        let s = Unicode.Scalar(value)
                    {
                        result.unicodeScalars.append(s)
                    } else if entity.hasPrefix("#"), let value = UInt32(entity.dropFirst()),
                        let s = Unicode.Scalar(value)
                    {
                        result.unicodeScalars.append(s)
                    } else {
                        result += "&" + entity + ";"
                    }
                }
                rest = rest[rest.index(after: semi)...]
            }
            return result + rest
        }
    }
}
