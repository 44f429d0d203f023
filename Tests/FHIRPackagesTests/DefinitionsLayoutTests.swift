import FHIRElementModel
import FHIRPackages
import FHIRTestSupport
import Foundation
import Testing

/// The carried base R4 against what the R4 core package holds.
@Suite struct DefinitionsLayoutTests {
    let definitions = FHIRDefinitions.baseR4

    @Test func everyR4ResourceTypeHasALayout() throws {
        let resourceTypes = definitions.resourceTypeNames
        // The core package defines 146 concrete resource types (Parameters, Binary and Bundle included).
        #expect(resourceTypes.count == 146)
        #expect(resourceTypes.contains("Encounter") && resourceTypes.contains("Parameters"))
        for typeName in resourceTypes {
            let layout = try #require(definitions.layout(ofType: typeName), "\(typeName)")
            #expect(layout.kind == .resource)
            #expect(layout.elements.first?.name == "id", "\(typeName) starts with id")
            #expect(!layout.isAbstract)
        }
        #expect(definitions.layout(ofType: "Encounter")?.baseType == "DomainResource")
        #expect(definitions.layout(ofType: "Bundle")?.baseType == "Resource")
        #expect(definitions.layout(ofType: "DomainResource")?.isAbstract == true)
        #expect(definitions.layout(ofType: "NoSuchType") == nil)
    }

    @Test func observationValueIsAChoiceOfElevenTypes() throws {
        let layout = try #require(definitions.layout(ofType: "Observation"))
        let value = try #require(layout.elements.first { $0.name == "value" })
        #expect(value.isChoice)
        #expect(value.path == "Observation.value[x]")
        #expect(
            value.types == [
                "Quantity", "CodeableConcept", "string", "boolean", "integer", "Range", "Ratio", "SampledData", "time",
                "dateTime", "Period",
            ])
        #expect(value.max == 1 && value.min == 0)
        let names = layout.elements.map(\.name)
        #expect(
            names.prefix(9) == [
                "id", "meta", "implicitRules", "language", "text", "contained", "extension",
                "modifierExtension", "identifier",
            ])
        let component = try #require(layout.elements.first { $0.name == "component" })
        #expect(component.childrenPath == "Observation.component")
        #expect(component.max == nil)
        let componentChildren = try #require(definitions.children(ofPath: "Observation.component"))
        #expect(
            componentChildren.map(\.name) == [
                "id", "extension", "modifierExtension", "code", "value", "dataAbsentReason", "interpretation",
                "referenceRange",
            ])
        let referenceRange = try #require(componentChildren.last)
        #expect(referenceRange.childrenPath == "Observation.referenceRange")
    }

    @Test func contentReferencePointsBackAtTheReferencedElement() throws {
        let item = try #require(definitions.children(ofPath: "Questionnaire.item"))
        let nested = try #require(item.first { $0.name == "item" })
        #expect(nested.path == "Questionnaire.item.item")
        #expect(nested.childrenPath == "Questionnaire.item")
        #expect(nested.types == ["BackboneElement"])
        #expect(definitions.children(ofPath: "Questionnaire.item.item") == nil)
    }

    @Test func datatypesAndPrimitives() throws {
        let string = try #require(definitions.layout(ofType: "string"))
        #expect(string.kind == .primitive)
        #expect(string.elements.map(\.name) == ["id", "extension"])
        #expect(definitions.layout(ofType: "code")?.baseType == "string")
        let quantity = try #require(definitions.layout(ofType: "Quantity"))
        #expect(quantity.kind == .complex)
        #expect(quantity.elements.map(\.name) == ["id", "extension", "value", "comparator", "unit", "system", "code"])
        #expect(quantity.elements[2].types == ["decimal"])
        #expect(definitions.layout(ofType: "Age")?.baseType == "Quantity")
        #expect(definitions.baseTypes(of: "Patient") == ["DomainResource", "Resource"])
        #expect(definitions.isType("Age", derivedFrom: "Element"))
        let extensionLayout = try #require(definitions.layout(ofType: "Extension"))
        let url = try #require(extensionLayout.elements.first { $0.name == "url" })
        #expect(url.types == ["uri"])
        let narrative = try #require(definitions.layout(ofType: "Narrative"))
        #expect(narrative.elements.last?.types == ["xhtml"])
        #expect(definitions.layout(ofType: "Element")?.baseType == nil)
    }

    @Test func everyTypeAndBackboneLayoutResolves() throws {
        var backbones = 0
        for typeName in definitions.typeNames {
            let layout = try #require(definitions.layout(ofType: typeName), "\(typeName)")
            var pending = layout.elements
            while let element = pending.popLast() {
                #expect(!element.types.isEmpty, "\(element.path) has types")
                guard let path = element.childrenPath, path == element.path else { continue }
                backbones += 1
                let children = try #require(definitions.children(ofPath: path), "\(path)")
                pending.append(contentsOf: children)
            }
        }
        #expect(backbones > 400)
    }

    @Test func definitionsOfTheCorePackage() throws {
        let vitalSigns = try #require(
            definitions.structureDefinition(url: "http://hl7.org/fhir/StructureDefinition/vitalsigns"))
        #expect(vitalSigns.isProfile && vitalSigns.type == "Observation")
        let bodyWeight = try #require(
            definitions.structureDefinition(url: "http://hl7.org/fhir/StructureDefinition/bodyweight|4.0.1"))
        #expect(bodyWeight.baseDefinition == "http://hl7.org/fhir/StructureDefinition/vitalsigns")
        let code = try #require(bodyWeight.element(id: "Observation.code.coding:BodyWeightCode.code"))
        #expect(code.fixed?.typeName == "code")
        #expect(definitions.profiles(onType: "Observation").count >= 16)
        let patient = try #require(definitions.structureDefinition(ofType: "Patient"))
        let root = try #require(patient.elements.first)
        #expect(root.constraints.map(\.key).contains("dom-2"))
        let gender = try #require(patient.elements.first { $0.path == "Patient.gender" })
        #expect(gender.binding?.strength == .required)
        #expect(gender.binding?.valueSet?.hasPrefix("http://hl7.org/fhir/ValueSet/administrative-gender") == true)
        #expect(gender.constraints.first?.key == "ele-1")
        let given = try #require(definitions.elementDefinition(atPath: "HumanName.given"))
        #expect(given.max == nil && given.types.map(\.code) == ["string"])
        let resourceID = try #require(definitions.elementDefinition(atPath: "Resource.id"))
        #expect(resourceID.types.first?.code == "http://hl7.org/fhirpath/System.String")
        #expect(definitions.elementDefinition(atPath: "Extension.url")?.representation == ["xmlAttr"])
        #expect(definitions.elementDefinition(atPath: "Patient.nothing") == nil)
        let extensionDefinition = try #require(
            definitions.structureDefinition(url: "http://hl7.org/fhir/StructureDefinition/patient-birthPlace"))
        #expect(extensionDefinition.isExtension)
        #expect(extensionDefinition.contexts.first?.expression == "Patient")
        #expect(definitions.canonicalURLs(ofResourceType: "ValueSet").count == 1316)
        #expect(definitions.canonicalURLs(ofResourceType: "CodeSystem").count == 1062)
    }

    /// The carried compact form against the full package: every type's layout is the same
    /// when the definitions come from the core `.tgz` itself.
    @Test func carriedLayoutsMatchTheCorePackage() throws {
        guard let tarball = SharedCorpus.url("packages/hl7.fhir.r4.core-4.0.1.tgz") else {
            print(SharedCorpus.absentMessage)
            return
        }
        let core = try FHIRPackage(path: tarball.path)
        #expect(core.manifest.name == "hl7.fhir.r4.core" && core.manifest.version == "4.0.1")
        let fromPackage = try FHIRDefinitions(packages: [core])
        #expect(Set(fromPackage.typeNames) == Set(definitions.typeNames))
        for typeName in definitions.typeNames {
            let carried = try #require(definitions.layout(ofType: typeName))
            let full = try #require(fromPackage.layout(ofType: typeName))
            #expect(carried.baseType == full.baseType && carried.kind == full.kind, "\(typeName)")
            var pending = [(carried.elements, full.elements)]
            while let (left, right) = pending.popLast() {
                #expect(left.map(\.path) == right.map(\.path), "\(typeName)")
                for (a, b) in zip(left, right) {
                    #expect(a.types == b.types && a.min == b.min && a.max == b.max, "\(a.path)")
                    #expect(a.childrenPath == b.childrenPath, "\(a.path)")
                    if let path = a.childrenPath, path == a.path {
                        pending.append(
                            (definitions.children(ofPath: path) ?? [], fromPackage.children(ofPath: path) ?? []))
                    }
                }
            }
        }
        let carriedPatient = try #require(definitions.structureDefinition(ofType: "Patient"))
        let fullPatient = try #require(fromPackage.structureDefinition(ofType: "Patient"))
        #expect(carriedPatient.elements.map(\.constraints) == fullPatient.elements.map(\.constraints))
        #expect(carriedPatient.elements.map(\.id) == fullPatient.elements.map(\.id))
    }
}
