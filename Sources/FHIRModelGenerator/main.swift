/// FHIR model generator.
