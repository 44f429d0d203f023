public import FHIRJSON

extension FHIRDefinitions {
    /// The FHIR JSON of a ValueSet or CodeSystem (as carried for base R4: reduced to what
    /// validation uses) by canonical URL (`url` or `url|version`), for offline terminology.
    public func terminologyJSON(url: String, resourceType: String) -> JSONTree? {
        guard let type = CanonicalResource.ResourceType(rawValue: resourceType), type != .structureDefinition,
            let index = index(of: url, as: type)
        else { return nil }
        return json(at: index)
    }
}
