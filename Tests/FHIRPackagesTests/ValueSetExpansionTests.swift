import FHIRPackages
import Testing

/// ValueSets of base R4 expanded offline from the carried CodeSystems.
@Suite struct ValueSetExpansionTests {
    let definitions = FHIRDefinitions.baseR4

    func codes(_ url: String) throws -> [String] {
        let expansion = definitions.expansion(ofValueSet: url)
        if case .cannotExpand(let reason) = expansion { Issue.record("\(url): \(reason)") }
        return try #require(expansion.valueSet).concepts.map(\.code)
    }

    @Test func wholeCodeSystems() throws {
        #expect(
            try codes("http://hl7.org/fhir/ValueSet/administrative-gender") == ["male", "female", "other", "unknown"])
        #expect(
            try codes("http://hl7.org/fhir/ValueSet/observation-status|4.0.1") == [
                "registered", "preliminary", "final", "amended", "corrected", "cancelled", "entered-in-error",
                "unknown",
            ])
        let gender = definitions.expansion(ofValueSet: "http://hl7.org/fhir/ValueSet/administrative-gender")
        #expect(gender.contains(system: "http://hl7.org/fhir/administrative-gender", code: "female") == true)
        #expect(gender.contains(system: "http://hl7.org/fhir/administrative-gender", code: "F") == false)
        #expect(gender.contains(system: "http://example.org/other", code: "female") == false)
        #expect(gender.valueSet?.concepts.first?.display == "Male")
    }

    /// `is-a` over a concept hierarchy (v3 RoleCode: parents and twins).
    @Test func isAFilterFollowsTheHierarchy() throws {
        let parents = Set(try codes("http://hl7.org/fhir/ValueSet/parent-relationship-codes"))
        for code in ["PRN", "FTH", "MTH", "NMTH", "STPPRN", "ADOPTF", "TWIN", "FTWIN"] {
            #expect(parents.contains(code), "\(code)")
        }
        #expect(!parents.contains("BRO") && !parents.contains("SIB"))
    }

    /// `is-a` with the root excluded again, and explicit concepts beside a filter.
    @Test func excludeAndExplicitConcepts() throws {
        let encounter = Set(try codes("http://terminology.hl7.org/ValueSet/v3-ActEncounterCode"))
        #expect(encounter.isSuperset(of: ["AMB", "EMER", "IMP", "HH", "VR"]))
        #expect(!encounter.contains("_ActEncounterCode"))
        let participants = Set(try codes("http://hl7.org/fhir/ValueSet/encounter-participant-type"))
        #expect(participants.isSuperset(of: ["ADM", "ATND", "SPRF", "PPRF", "PART", "translator", "emergency"]))
        #expect(!participants.contains("_ParticipationAncillary"))
    }

    /// A ValueSet made of other ValueSets.
    @Test func importedValueSets() throws {
        let both = Set(try codes("http://hl7.org/fhir/ValueSet/event-or-request-resource-types"))
        let events = Set(try codes("http://hl7.org/fhir/ValueSet/event-resource-types"))
        let requests = Set(try codes("http://hl7.org/fhir/ValueSet/request-resource-types"))
        #expect(!events.isEmpty && !requests.isEmpty)
        #expect(both == events.union(requests))
        // An import that needs SNOMED CT makes the importing ValueSet unexpandable, reason kept.
        let roles = definitions.expansion(ofValueSet: "http://hl7.org/fhir/ValueSet/action-participant-role")
        guard case .cannotExpand(let reason) = roles else {
            Issue.record("action-participant-role expanded without SNOMED CT")
            return
        }
        #expect(reason.contains("practitioner-role") && reason.contains("snomed"), "\(reason)")
    }

    /// SNOMED CT and LOINC are not carried: such a ValueSet says why it cannot be expanded.
    @Test func externalCodeSystemsCannotBeExpanded() throws {
        let bodySite = definitions.expansion(ofValueSet: "http://hl7.org/fhir/ValueSet/body-site")
        guard case .cannotExpand(let reason) = bodySite else {
            Issue.record("body-site expanded without SNOMED CT")
            return
        }
        #expect(reason.contains("http://snomed.info/sct") && reason.contains("body-site"), "\(reason)")
        #expect(bodySite.contains(system: "http://snomed.info/sct", code: "123") == nil)
        let missing = definitions.expansion(ofValueSet: "http://example.org/ValueSet/none")
        guard case .cannotExpand(let why) = missing else {
            Issue.record("an unknown ValueSet expanded")
            return
        }
        #expect(why.contains("not in the loaded packages"))
    }

    /// Every ValueSet a base resource binds at required strength expands offline, or says why.
    @Test func requiredBindingsOfBaseResources() throws {
        var expanded = 0
        var external: [String] = []
        for typeName in definitions.resourceTypeNames {
            let definition = try #require(definitions.structureDefinition(ofType: typeName))
            for element in definition.elements {
                guard let binding = element.binding, binding.strength == .required, let url = binding.valueSet
                else { continue }
                switch definitions.expansion(ofValueSet: url) {
                case .expanded(let valueSet): expanded += valueSet.concepts.isEmpty ? 0 : 1
                case .cannotExpand(let reason):
                    #expect(!reason.isEmpty)
                    external.append(url)
                }
            }
        }
        #expect(expanded > 300)
        #expect(external.count < expanded / 10, "\(Set(external).sorted())")
    }
}
