/// FHIR core.
