/// Unit spellings people type that are not UCUM (`gm`, `hr`, `mls`, `lbs`, `mcg`), with the
/// UCUM code they most likely mean. Suggestions are offered, never applied silently.
public enum UCUMHumanSpellings {
    /// Whole-symbol spellings and their UCUM codes. Case matters only where UCUM's does.
    static let table: [String: String] = [
        "gm": "g", "gms": "g", "gram": "g", "grams": "g", "gramm": "g",
        "mgs": "mg", "mgm": "mg", "milligram": "mg", "milligrams": "mg",
        "kgs": "kg", "kilo": "kg", "kilos": "kg", "kilogram": "kg", "kilograms": "kg",
        "mcg": "ug", "mcgs": "ug", "µg": "ug", "μg": "ug", "microgram": "ug", "micrograms": "ug",
        "hr": "h", "hrs": "h", "hour": "h", "hours": "h", "Hr": "h", "HR": "h",
        "sec": "s", "secs": "s", "second": "s", "seconds": "s",
        "mins": "min", "minute": "min", "minutes": "min",
        "day": "d", "days": "d", "week": "wk", "weeks": "wk", "wks": "wk",
        "month": "mo", "months": "mo", "yr": "a", "yrs": "a", "year": "a", "years": "a",
        "mls": "mL", "mLs": "mL", "cc": "mL", "ML": "mL", "millilitre": "mL", "milliliter": "mL",
        "milliliters": "mL", "millilitres": "mL", "mcL": "uL", "µL": "uL", "μL": "uL",
        "ltr": "L", "litre": "L", "liter": "L", "litres": "L", "liters": "L",
        "lb": "[lb_av]", "lbs": "[lb_av]", "LB": "[lb_av]", "LBS": "[lb_av]", "pound": "[lb_av]",
        "pounds": "[lb_av]", "oz": "[oz_av]", "ounce": "[oz_av]", "ounces": "[oz_av]",
        "in": "[in_i]", "inch": "[in_i]", "inches": "[in_i]", "ft": "[ft_i]", "feet": "[ft_i]",
        "IU": "[IU]", "iu": "[IU]", "ui": "[IU]", "UI": "[IU]",
        "mEq": "meq", "mEQ": "meq", "mmHg": "mm[Hg]", "cmH2O": "cm[H2O]",
        "degC": "Cel", "°C": "Cel", "℃": "Cel", "degF": "[degF]", "°F": "[degF]",
        "deg C": "Cel", "degree C": "Cel", "degrees C": "Cel", "deg F": "[degF]", "degree F": "[degF]",
        "degrees F": "[degF]",
        "mcmol": "umol", "µmol": "umol", "μmol": "umol",
    ]

    /// The UCUM code `text` most likely means, when `text` is not valid UCUM and becomes valid
    /// after replacing known human spellings symbol by symbol (`mg/kg/hr` → `mg/kg/h`,
    /// `mcg` → `ug`, `lbs` → `[lb_av]`); `nil` otherwise.
    ///
    /// - Parameter text: A unit as a person typed it.
    public static func suggestion(for text: String) -> String? {
        guard UCUM.validate(text) != nil else { return nil }
        var out = ""
        var symbol = ""
        var changed = false
        func flush() {
            if let replacement = table[symbol] {
                out += replacement
                changed = true
            } else {
                out += symbol
            }
            symbol = ""
        }
        for character in text.trimmingSpaces {
            if "./()".contains(character) {
                flush()
                out.append(character)
            } else {
                symbol.append(character)
            }
        }
        flush()
        guard changed, out != text, UCUM.validate(out) == nil else { return nil }
        return out
    }
}

extension String {
    var trimmingSpaces: Substring {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return s
    }
}
