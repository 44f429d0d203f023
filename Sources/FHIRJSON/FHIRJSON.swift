/// FHIR JSON codec.
