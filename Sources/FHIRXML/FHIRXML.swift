/// FHIR XML codec over libxml2.
