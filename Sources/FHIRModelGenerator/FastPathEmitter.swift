/// Writes each type's fast-path conformance (`FHIRFastCodable`): `init(fhirFast:)`, a loop over
/// the members with a `switch` on each name's packed key, and `fhirFastWrite(to:)`, the members
/// in specification order. See `FHIRCore/FastPath/FHIRFastCoding.swift`.
struct FastPathEmitter {
    /// The same function as `FHIRName.key` at run time.
    static func key(_ name: String) -> UInt64 {
        let bytes = Array(name.utf8)
        func load(_ offset: Int) -> UInt64 {
            (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
        }
        if bytes.count >= 8 {
            if bytes.count == 8 { return load(0) }
            return (load(0) &* 0x9E37_79B9_7F4A_7C15) ^ (load(bytes.count - 8) &* 0xC2B2_AE3D_27D4_EB4F)
                ^ UInt64(bytes.count)
        }
        return bytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    }

    /// One `case` of a member switch: the name it matches and the statements it runs.
    struct Case {
        var name: String
        var body: [String]
    }

    /// Emits `switch name.key { … }` for `cases`, each confirming the name before its body.
    static func emitSwitch(_ cases: [Case], subject: String, into out: inout SourceWriter) {
        var seen: [UInt64: String] = [:]
        for item in cases {
            let key = Self.key(item.name)
            if let other = seen[key] { preconditionFailure("fast-path keys of '\(item.name)' and '\(other)' collide") }
            seen[key] = item.name
        }
        out.line("switch \(subject).key {")
        for item in cases {
            out.line("case 0x\(String(Self.key(item.name), radix: 16, uppercase: true)):  // \(item.name)")
            let count = item.name.utf8.count
            let check = count <= 8 ? "\(subject).count == \(count)" : "\(subject).equals(\"\(item.name)\")"
            out.line("    guard \(check) else { throw FHIRFastBail() }")
            for statement in item.body { out.line("    " + statement) }
        }
        out.line("default:")
        out.line("    throw FHIRFastBail()")
        out.line("}")
    }

    // MARK: Types

    /// The names of the top-level types a supported resource can contain (through its elements,
    /// choices and backbone elements). Only these get a fast path: the others (ElementDefinition,
    /// the metadata types) are never read or written inside the resources ivig-fhir supports, and
    /// leaving them out keeps FHIRCore's optimized build small.
    static func reachableTypes(_ model: GeneratedModel) -> Set<String> {
        let byName = Dictionary(uniqueKeysWithValues: model.types.map { ($0.qualifiedName, $0) })
        var reached = Set(model.resources)
        var pending = model.resources
        func visit(_ type: TypeModel) {
            for property in type.properties {
                let shapes = property.choice?.map(\.shape) ?? [property.shape]
                for shape in shapes {
                    guard case .complex(let swift) = shape else { continue }
                    let topLevel = String(swift.prefix { $0 != "." })
                    if reached.insert(topLevel).inserted { pending.append(topLevel) }
                }
            }
            type.nested.forEach(visit)
        }
        while let name = pending.popLast() {
            if let type = byName[name] { visit(type) }
        }
        return reached
    }

    static func emit(_ type: TypeModel, into out: inout SourceWriter) {
        out.blank()
        out.open("extension \(type.qualifiedName): FHIRFastCodable")
        emitRead(type, into: &out)
        out.blank()
        emitWrite(type, into: &out)
        out.close()
        for property in type.properties where property.choice != nil {
            emitChoiceWrite(property, owner: type, into: &out)
        }
        for nested in type.nested { emit(nested, into: &out) }
    }

    private static func emitRead(_ type: TypeModel, into out: inout SourceWriter) {
        // The init starts from the empty value (the memberwise init's defaults) and reads into it
        // in place. Setting the stored properties here and reading in the init's own body made
        // Swift 6.3 copy the finished value out of a temporary on every return (an outlined copy
        // that retains every field, then a destroy that releases them): 5% of a JSON → XML
        // conversion. A delegating init followed by a mutating read returns the value by a plain
        // move; what is left is a copy of the empty value, whose fields are all nil.
        out.open("package init(fhirFast reader: any FHIRFastReader) throws(FHIRFastBail)")
        out.line("self.init()")
        out.line("try fhirFastRead(reader)")
        out.close()
        out.blank()
        out.open("private mutating func fhirFastRead(_ reader: any FHIRFastReader) throws(FHIRFastBail)")
        out.line(
            type.kind == .resource ? "try reader.enterResource(\"\(type.qualifiedName)\")" : "try reader.enterObject()")
        out.open("while try reader.nextMember()")
        out.line("let memberName = reader.name")
        var cases: [Case] = []
        if type.kind == .resource { cases.append(Case(name: "resourceType", body: ["try reader.skipResourceType()"])) }
        for (ordinal, property) in type.properties.enumerated() {
            cases += readCases(property, ordinal: ordinal, owner: type)
        }
        emitSwitch(cases, subject: "memberName", into: &out)
        out.close()
        for property in type.properties where property.isArray && property.choice == nil {
            if case .primitive = property.shape {
                out.line("try FHIRFast.checkItems(\(identifier(property.jsonName)))")
            }
        }
        out.close()
    }

    private static func readCases(_ property: PropertyModel, ordinal: Int, owner: TypeModel) -> [Case] {
        let name = identifier(property.jsonName)
        let order = "try reader.order(\(ordinal), repeats: \(property.isArray))"
        if let variants = property.choice {
            var cases: [Case] = []
            for variant in variants {
                let caseName = identifier(variant.caseName)
                switch variant.shape {
                case .primitive(let swift):
                    // The value and its `_name` part may come in either order (JSON); any other
                    // variant already read means two choices, which the Codable path reports.
                    func merge(_ read: String) -> [String] {
                        [
                            "if case .\(caseName)(let existing)? = \(name) {",
                            "    \(name) = .\(caseName)(try FHIRFast.\(read)(reader, existing))",
                            "} else {",
                            "    guard \(name) == nil else { throw FHIRFastBail() }",
                            "    \(name) = .\(caseName)(try FHIRFast.\(read)(reader, FHIRPrimitive<\(swift)>?.none))",
                            "}",
                        ]
                    }
                    cases.append(Case(name: variant.jsonName, body: [order] + merge("primitive")))
                    cases.append(Case(name: "_" + variant.jsonName, body: merge("metadata")))
                case .complex(let swift):
                    cases.append(
                        Case(
                            name: variant.jsonName,
                            body: [
                                order, "guard \(name) == nil else { throw FHIRFastBail() }",
                                "\(name) = .\(caseName)(try \(swift)(fhirFast: reader))",
                            ]))
                case .resource:
                    cases.append(
                        Case(
                            name: variant.jsonName,
                            body: [
                                order, "guard \(name) == nil else { throw FHIRFastBail() }",
                                "\(name) = .\(caseName)(try AnyResource(fhirFast: reader))",
                            ]))
                case .plainString, .xhtml:
                    preconditionFailure(
                        "\(owner.path).\(property.fhirName): no fast path for a \(variant.shape) choice")
                }
            }
            return cases
        }
        switch (property.shape, property.isArray) {
        case (.plainString, _):
            return [Case(name: property.jsonName, body: ["\(name) = try reader.plainString()"])]
        case (.primitive, false):
            return [
                Case(name: property.jsonName, body: [order, "try FHIRFast.primitive(reader, into: &\(name))"]),
                Case(name: "_" + property.jsonName, body: ["try FHIRFast.metadata(reader, into: &\(name))"]),
            ]
        case (.primitive, true):
            return [
                Case(name: property.jsonName, body: [order, "try FHIRFast.primitiveItems(reader, &\(name))"]),
                Case(name: "_" + property.jsonName, body: ["try FHIRFast.metadataItems(reader, &\(name))"]),
            ]
        case (.xhtml, _):
            return [
                Case(
                    name: property.jsonName,
                    body: [
                        order, "guard \(name) == nil else { throw FHIRFastBail() }",
                        "\(name) = FHIRXHTML(try reader.xhtml())",
                    ])
            ]
        case (.complex, false):
            return [
                Case(
                    name: property.jsonName,
                    body: [order, "_\(property.jsonName) = try FHIRFast.boxed(reader, _\(property.jsonName))"])
            ]
        case (.complex, true), (.resource, true):
            return [Case(name: property.jsonName, body: [order, "try FHIRFast.appendItems(reader, to: &\(name))"])]
        case (.resource, false):
            return [
                Case(
                    name: property.jsonName,
                    body: [
                        order, "guard \(name) == nil else { throw FHIRFastBail() }",
                        "\(name) = try AnyResource(fhirFast: reader)",
                    ])
            ]
        }
    }

    private static func emitWrite(_ type: TypeModel, into out: inout SourceWriter) {
        out.open("package func fhirFastWrite(to writer: any FHIRFastWriter) throws(FHIRFastBail)")
        if type.kind == .resource { out.line("try writer.beginResource(\"\(type.qualifiedName)\")") }
        // XML attributes (`Extension.url`) go before any child element; `id` is always first anyway.
        let lateAttributes = type.properties.enumerated().filter { index, property in
            if case .plainString = property.shape, property.choice == nil, index > 0 { return true }
            return false
        }.map(\.element.jsonName)
        for name in lateAttributes {
            out.line(
                "if writer.isXML, let \(identifier(name)) { try writer.plainString(\"\(name)\", \(identifier(name))) }")
        }
        for property in type.properties {
            let name = identifier(property.jsonName)
            let key = "\"\(property.jsonName)\""
            if property.choice != nil {
                out.line("try \(name)?.fhirFastWrite(to: writer)")
                continue
            }
            switch (property.shape, property.isArray) {
            case (.plainString, _):
                let guardXML = lateAttributes.contains(property.jsonName) ? "!writer.isXML, " : ""
                out.line("if \(guardXML)let \(name) { try writer.plainString(\(key), \(name)) }")
            case (.primitive, _):
                out.line("try FHIRFast.write(writer, \(key), \"_\(property.jsonName)\", \(name))")
            case (.xhtml, _):
                out.line("if let \(name) { try writer.xhtml(\(key), \(name).text) }")
            case (.complex, false):
                out.line("try FHIRFast.write(writer, \(key), _\(property.jsonName))")
            case (.complex, true), (.resource, _):
                out.line("try FHIRFast.write(writer, \(key), \(name))")
            }
        }
        if type.kind == .resource { out.line("try writer.endResource(\"\(type.qualifiedName)\")") }
        out.close()
    }

    private static func emitChoiceWrite(_ property: PropertyModel, owner: TypeModel, into out: inout SourceWriter) {
        guard let variants = property.choice else { return }
        out.blank()
        out.open("extension \(owner.qualifiedName).\(property.choiceEnumName)")
        out.open("package func fhirFastWrite(to writer: any FHIRFastWriter) throws(FHIRFastBail)")
        out.line("switch self {")
        for variant in variants {
            out.line("case .\(identifier(variant.caseName))(let value):")
            if case .primitive = variant.shape {
                out.line(
                    "    try FHIRFast.write(writer, \"\(variant.jsonName)\", \"_\(variant.jsonName)\", value: value)")
            } else {
                out.line("    try FHIRFast.write(writer, \"\(variant.jsonName)\", value: value)")
            }
        }
        out.line("}")
        out.close()
        out.close()
    }

    // MARK: AnyResource

    static func emitAnyResource(_ resources: [String], into out: inout SourceWriter) {
        out.blank()
        out.open("extension AnyResource: FHIRFastCodable")
        out.open("package init(fhirFast reader: any FHIRFastReader) throws(FHIRFastBail)")
        out.line("let type = try reader.resourceType()")
        let cases = resources.map {
            Case(name: $0, body: ["self = .\(identifier(lowerFirst($0)))(try \($0)(fhirFast: reader))"])
        }
        emitSwitch(cases, subject: "type", into: &out)
        out.close()
        out.blank()
        out.open("package func fhirFastWrite(to writer: any FHIRFastWriter) throws(FHIRFastBail)")
        out.line("switch self {")
        for name in resources {
            out.line("case .\(identifier(lowerFirst(name)))(let resource): try resource.fhirFastWrite(to: writer)")
        }
        out.line("}")
        out.close()
        out.close()
    }
}
