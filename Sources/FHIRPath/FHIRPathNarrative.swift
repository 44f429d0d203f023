import FHIRElementModel

/// `htmlChecks()` (R4's txt-1): the narrative holds only the XHTML FHIR allows, with no
/// scripts, forms, event handlers or active content, and is not empty.
enum FHIRPathNarrative {
    private static let forbiddenElements = [
        "<script", "<object", "<embed", "<applet", "<iframe", "<form", "<input",
        "<button", "<frame", "<base", "<link", "<meta", "<style", "<head", "<body", "<html",
    ]

    static func isAcceptable(_ item: FHIRPathValue) -> Bool {
        guard let text = item.systemValue?.text ?? (item.text as String?) else { return false }
        let lower = text.lowercased()
        guard lower.contains("<div") else { return false }
        let characters = Array(lower)
        for element in forbiddenElements {
            let pattern = Array(element)
            var start = 0
            while let found = find(pattern, in: characters, from: start) {
                let after = found + pattern.count < characters.count ? characters[found + pattern.count] : nil
                if after == nil || after == " " || after == ">" || after == "/" || after == "\n" || after == "\t" {
                    return false
                }
                start = found + 1
            }
        }
        // Event handler attributes (onclick=, onload=, …).
        var start = 0
        while let found = find(Array(" on"), in: characters, from: start) {
            var cursor = found + 3
            while cursor < characters.count, characters[cursor].isLetter { cursor += 1 }
            if cursor > found + 3, cursor < characters.count, characters[cursor] == "=" { return false }
            start = found + 1
        }
        if lower.contains("javascript:") { return false }
        return true
    }

    private static func find(_ pattern: [Character], in text: [Character], from start: Int) -> Int? {
        guard pattern.count <= text.count, start <= text.count - pattern.count else { return nil }
        for index in start...(text.count - pattern.count)
        where text[index..<(index + pattern.count)].elementsEqual(pattern) {
            return index
        }
        return nil
    }
}
