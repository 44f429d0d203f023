/// UCUM units: parsing, the unit table, exact conversion.
