/// UCUM table generator.
