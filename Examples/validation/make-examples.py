#!/usr/bin/env python3
"""Writes the IVIG validation examples (FHIR JSON) into Examples/validation/.

One valid treatment story per indication (CIDP, MMN, GBS, MG, Kawasaki disease, ITP, PID), each
a `collection` Bundle, and invalid variants that each break one dosing rule. The XML versions are
made from these files by the project's own encoder (make-examples.sh runs both steps).

Every number below is written as a literal (never computed in floating point), so the JSON holds
exactly the digits a clinician would write. Dates are in 2026. Facts (doses, rates, codes) come
from ../shared/domain/ivig-dosing.md and Mappings/products.json; the README of this folder lists
what each file shows and the findings the tests expect.
"""

import copy
import html
import json
import os
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
UCUM = "http://unitsofmeasure.org"
SNOMED = "http://snomed.info/sct"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
LOINC = "http://loinc.org"
ATC = "http://www.whocc.no/atc"
PRODUCT = "https://ivig-fhir.example.org/CodeSystem/ivig-product"
LOCAL_OBS = "https://ivig-fhir.example.org/CodeSystem/ivig-assessment"
COURSE = "http://terminology.hl7.org/CodeSystem/medicationrequest-course-of-therapy"
DOSE_TYPE = "http://terminology.hl7.org/CodeSystem/dose-rate-type"

PRODUCTS = {
    "privigen-10": ("Privigen 10%", 100),
    "gamunex-c-10": ("Gamunex-C 10%", 100),
    "gammagard-liquid-10": ("Gammagard Liquid 10%", 100),
    "octagam-10": ("Octagam 10%", 100),
}


def urn(name):
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "https://ivig-fhir.example.org/examples/" + name))


def qty(value, code):
    return {"value": value, "unit": code, "system": UCUM, "code": code}


def concept(*codings, text=None):
    result = {"coding": [{"system": s, "code": c, "display": d} for (s, c, d) in codings]}
    if text:
        result["text"] = text
    return result


def label(value):
    """A concept's text, else its first display."""
    if not isinstance(value, dict):
        return None
    return value.get("text") or next((c["display"] for c in value.get("coding", []) if "display" in c), None)


def narrative(resource):
    """A generated narrative naming what the resource is (dom-6: a resource should have one; the
    validator warns without). It names no dose or date, which the invalid variants change."""
    kind = resource["resourceType"]
    if kind == "Patient":
        name = resource["name"][0]
        line = "Patient " + " ".join(name.get("given", []) + [name.get("family", "")])
    elif kind in ("Condition", "Observation"):
        line = kind + ": " + (label(resource.get("code")) or "unknown")
    elif kind == "Medication":
        line = "Product: " + (label(resource.get("code")) or "unknown")
    elif kind == "MedicationRequest":
        line = "IVIG order"
    elif kind == "MedicationAdministration":
        line = "IVIG infusion"
    elif kind == "AdverseEvent":
        line = "Reaction: " + (label(resource.get("event")) or "unknown")
    else:
        line = kind
    return {"status": "generated", "div": '<div xmlns="http://www.w3.org/1999/xhtml">' + html.escape(line) + "</div>"}


class Story:
    """A Bundle under construction; `ref(name)` is the urn:uuid of an entry."""

    def __init__(self, key):
        self.key = key
        self.entries = []

    def ref(self, name):
        return {"reference": urn(self.key + "/" + name)}

    def add(self, name, resource):
        resource["id"] = self.key + "-" + name
        resource["text"] = narrative(resource)
        self.entries.append({"fullUrl": urn(self.key + "/" + name), "resource": resource})
        return len(self.entries) - 1

    def index(self, name):
        return next(i for i, e in enumerate(self.entries) if e["resource"]["id"] == self.key + "-" + name)

    def resource(self, name):
        return self.entries[self.index(name)]["resource"]

    def bundle(self):
        return {
            "resourceType": "Bundle",
            "id": self.key,
            "type": "collection",
            "timestamp": "2026-11-02T12:00:00+01:00",
            "entry": self.entries,
        }

    # Resources -----------------------------------------------------------------------------

    def patient(self, gender, birth_date, family, given):
        return self.add("patient", {
            "resourceType": "Patient",
            "identifier": [{"system": "urn:oid:2.16.840.1.113883.3.9999.1", "value": "MRN-" + self.key.upper()}],
            "name": [{"family": family, "given": [given]}],
            "gender": gender,
            "birthDate": birth_date,
        })

    def condition(self, *codings, text):
        return self.add("condition", {
            "resourceType": "Condition",
            "clinicalStatus": concept(("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "Active")),
            "verificationStatus": concept(("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed", "Confirmed")),
            "code": concept(*codings, text=text),
            "subject": self.ref("patient"),
        })

    def vital(self, name, loinc, display, when, value, code):
        return self.add(name, {
            "resourceType": "Observation",
            "status": "final",
            "category": [concept(("http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs", "Vital Signs"))],
            "code": concept((LOINC, loinc, display), text=display),
            "subject": self.ref("patient"),
            "effectiveDateTime": when,
            "valueQuantity": qty(value, code),
        })

    def score(self, name, system, code, display, when, value):
        resource = {
            "resourceType": "Observation",
            "status": "final",
            "category": [concept(("http://terminology.hl7.org/CodeSystem/observation-category", "exam", "Exam"))],
            "code": concept((system, code, display), text=display),
            "subject": self.ref("patient"),
            "effectiveDateTime": when,
        }
        if isinstance(value, dict):
            resource["valueQuantity"] = value
        else:
            resource["valueInteger"] = value
        return self.add(name, resource)

    def medication(self, product, name="medication", strength=None):
        display, concentration = PRODUCTS[product]
        return self.add(name, {
            "resourceType": "Medication",
            "code": concept(
                (PRODUCT, product, display),
                (ATC, "J06BA02", "Immunoglobulins, normal human, for intravascular adm."),
                text=display),
            "status": "active",
            "ingredient": [{
                "itemCodeableConcept": {"text": "Human normal immunoglobulin G"},
                "isActive": True,
                "strength": {"numerator": qty(strength or concentration, "mg"), "denominator": qty(1, "mL")},
            }],
        })

    def order(self, name, authored, course, timing, dose_and_rate, text, reason=None, medication="medication"):
        resource = {
            "resourceType": "MedicationRequest",
            "status": "active",
            "intent": "order",
            "medicationReference": self.ref(medication),
            "subject": self.ref("patient"),
            "authoredOn": authored,
        }
        if reason is None:
            resource["reasonReference"] = [self.ref("condition")]
        else:
            resource["reasonCode"] = [reason]
        resource["courseOfTherapyType"] = concept((COURSE, course, {"acute": "Short course (acute) therapy",
                                                                    "continuous": "Continuous long term therapy"}[course]))
        resource["dosageInstruction"] = [{
            "sequence": 1,
            "text": text,
            "timing": {"repeat": timing},
            "route": concept((SNOMED, "47625008", "Intravenous route")),
            "doseAndRate": dose_and_rate,
        }]
        return self.add(name, resource)

    def infusion(self, name, order, start, end, dose, rate, medication="medication"):
        return self.add(name, {
            "resourceType": "MedicationAdministration",
            "status": "completed",
            "medicationReference": self.ref(medication),
            "subject": self.ref("patient"),
            "effectivePeriod": {"start": start, "end": end},
            "request": self.ref(order),
            "dosage": {"route": concept((SNOMED, "47625008", "Intravenous route")), "dose": dose, "rateQuantity": rate},
        })


def ordered(dose, rate=None, rate_kind="rateQuantity"):
    item = {"type": concept((DOSE_TYPE, "ordered", "Ordered")), "doseQuantity": dose}
    if rate is not None:
        item[rate_kind] = rate
    return item


def calculated(dose):
    return {"type": concept((DOSE_TYPE, "calculated", "Calculated")), "doseQuantity": dose}


def daily(count, start, end):
    return {"boundsPeriod": {"start": start, "end": end}, "count": count, "frequency": 1, "period": 1, "periodUnit": "d"}


# Stories ---------------------------------------------------------------------------------------

def cidp():
    s = Story("cidp")
    s.patient("female", "1961-07-14", "Jansen", "Maria")
    s.condition((SNOMED, "128209004", "Chronic inflammatory demyelinating polyradiculoneuropathy"),
                (ICD10CM, "G61.81", "Chronic inflammatory demyelinating polyneuritis"), text="CIDP")
    s.vital("weight", "29463-7", "Body weight", "2026-03-01T09:10:00+01:00", 68.0, "kg")
    s.vital("height", "8302-2", "Body height", "2026-03-01T09:10:00+01:00", 165, "cm")
    s.medication("privigen-10")
    s.order("induction", "2026-03-02T08:00:00+01:00", "acute", daily(5, "2026-03-02", "2026-03-06"),
            [ordered(qty(0.4, "g/kg"), qty(0.3, "mL/kg/h")), calculated(qty(27.2, "g"))],
            "Induction 2 g/kg over 5 days: 0.4 g/kg/day (27.2 g for 68 kg); start 0.3 mL/kg/h, increase as tolerated to 4.8 mL/kg/h")
    s.infusion("infusion-1", "induction", "2026-03-02T09:00:00+01:00", "2026-03-02T13:30:00+01:00", qty(27.5, "g"), qty(4.8, "mL/kg/h"))
    s.infusion("infusion-2", "induction", "2026-03-03T09:00:00+01:00", "2026-03-03T12:45:00+01:00", qty(27.5, "g"), qty(4.8, "mL/kg/h"))
    s.add("reaction", {
        "resourceType": "AdverseEvent",
        "actuality": "actual",
        "category": [concept(("http://terminology.hl7.org/CodeSystem/adverse-event-category", "product-use-error", "Product Use Error"))],
        "event": concept((SNOMED, "25064002", "Headache"), text="Headache during the first infusion"),
        "subject": s.ref("patient"),
        "date": "2026-03-02T12:40:00+01:00",
        "severity": concept(("http://terminology.hl7.org/CodeSystem/adverse-event-severity", "mild", "Mild")),
        "suspectEntity": [{"instance": s.ref("infusion-1")}],
    })
    s.score("grip-baseline", LOINC, "83174-3", "Grip strength Hand - right Dynamometer", "2026-03-02T08:30:00+01:00", qty(18.5, "kg"))
    s.score("mrc-baseline", LOCAL_OBS, "mrc-sum-score", "MRC sum score", "2026-03-02T08:30:00+01:00", 48)
    s.score("incat-baseline", LOCAL_OBS, "incat", "INCAT disability score", "2026-03-02T08:30:00+01:00", 4)
    s.order("maintenance", "2026-03-20T10:00:00+01:00", "continuous", daily(1, "2026-03-23", "2026-03-23"),
            [ordered(qty(1, "g/kg"), qty(0.3, "mL/kg/h")), calculated(qty(68, "g"))],
            "Maintenance 1 g/kg (68 g) in one infusion, 3 weeks after the start of induction")
    s.infusion("infusion-3", "maintenance", "2026-03-23T09:00:00+01:00", "2026-03-23T14:00:00+01:00", qty(70, "g"), qty(4.8, "mL/kg/h"))
    s.score("grip-week-3", LOINC, "83174-3", "Grip strength Hand - right Dynamometer", "2026-03-23T08:30:00+01:00", qty(22.0, "kg"))
    return s


def mmn():
    s = Story("mmn")
    s.patient("male", "1970-02-03", "de Vries", "Pieter")
    s.condition((ICD10CM, "G61.82", "Multifocal motor neuropathy"), text="MMN")
    s.vital("weight", "29463-7", "Body weight", "2026-04-06T08:30:00+02:00", 176, "[lb_av]")
    s.medication("gammagard-liquid-10")
    s.order("induction", "2026-04-07T08:00:00+02:00", "acute", daily(2, "2026-04-07", "2026-04-08"),
            [ordered(qty(1, "g/kg"), qty(0.8, "mg/kg/min"))],
            "Induction 2 g/kg over 2 days: 1 g/kg/day; start 0.8 mg/kg/min")
    s.infusion("infusion-1", "induction", "2026-04-07T09:00:00+02:00", "2026-04-07T12:30:00+02:00", qty(80, "g"), qty(5.4, "mL/kg/h"))
    s.infusion("infusion-2", "induction", "2026-04-08T09:00:00+02:00", "2026-04-08T12:15:00+02:00", qty(80, "g"), qty(5.4, "mL/kg/h"))
    s.score("grip-baseline", LOCAL_OBS, "grip-strength-left", "Grip strength, left hand, dynamometer", "2026-04-07T08:30:00+02:00", qty(24, "kg"))
    return s


def gbs():
    s = Story("gbs")
    s.patient("female", "1984-09-21", "Bakker", "Sanne")
    s.vital("weight", "29463-7", "Body weight", "2026-05-10T15:00:00+02:00", 60, "kg")
    s.medication("octagam-10")
    s.order("course", "2026-05-11T07:30:00+02:00", "acute", daily(5, "2026-05-11", "2026-05-15"),
            [ordered(qty(24, "g"), qty(1, "mg/kg/min"))],
            "0.4 g/kg/day for 5 days: 24 g a day for 60 kg; start 1 mg/kg/min",
            reason=concept((SNOMED, "40956001", "Guillain-Barre syndrome"), (ICD10CM, "G61.0", "Guillain-Barre syndrome"), text="GBS"))
    s.infusion("infusion-1", "course", "2026-05-11T08:00:00+02:00", "2026-05-11T11:00:00+02:00", qty(24, "g"), qty(3, "mg/kg/min"))
    return s


def mg():
    s = Story("mg")
    s.patient("male", "1958-12-01", "Visser", "Johan")
    s.condition((SNOMED, "91637004", "Myasthenia gravis"), (ICD10CM, "G70.01", "Myasthenia gravis with (acute) exacerbation"),
                text="Myasthenia gravis, exacerbation")
    s.vital("weight", "29463-7", "Body weight", "2026-06-01T10:00:00+02:00", 96, "kg")
    s.vital("height", "8302-2", "Body height", "2026-06-01T10:00:00+02:00", 175, "cm")
    s.medication("gamunex-c-10")
    s.order("exacerbation", "2026-06-02T08:00:00+02:00", "acute", daily(2, "2026-06-02", "2026-06-03"),
            [ordered(qty(1, "g/kg"), {"numerator": qty(57, "mL"), "denominator": qty(1, "h")}, "rateRatio"), calculated(qty(96, "g"))],
            "2 g/kg over 2 days: 1 g/kg/day (96 g); start 57 mL/h")
    s.infusion("infusion-1", "exacerbation", "2026-06-02T09:00:00+02:00", "2026-06-02T13:00:00+02:00", qty(95, "g"), qty(400, "mL/h"))
    return s


def kawasaki():
    s = Story("kd")
    s.patient("male", "2022-02", "Smit", "Daan")
    s.condition((SNOMED, "75053002", "Kawasaki disease"), (ICD10CM, "M30.3", "Mucocutaneous lymph node syndrome [Kawasaki]"),
                text="Kawasaki disease")
    s.vital("weight", "29463-7", "Body weight", "2026-07-14T18:00:00+02:00", 18200, "g")
    s.medication("privigen-10")
    s.order("single-infusion", "2026-07-14T19:00:00+02:00", "acute", daily(1, "2026-07-14", "2026-07-14"),
            [ordered(qty(2, "g/kg"), {"low": qty(0.3, "mL/kg/h"), "high": qty(4.8, "mL/kg/h")}, "rateRange"),
             calculated(qty(36.4, "g"))],
            "2 g/kg (36.4 g) as a single infusion over 10-12 h, with aspirin")
    s.infusion("infusion-1", "single-infusion", "2026-07-14T20:00:00+02:00", "2026-07-15T07:00:00+02:00", qty(35, "g"), qty(1.8, "mL/kg/h"))
    return s


def itp():
    s = Story("itp")
    s.patient("female", "1979-05-30", "Mulder", "Eva")
    s.condition((SNOMED, "2897005", "Immune thrombocytopenia"), (ICD10CM, "D69.3", "Immune thrombocytopenic purpura"), text="ITP")
    s.vital("weight", "29463-7", "Body weight", "2026-08-03T07:45:00+02:00", 55, "kg")
    s.medication("privigen-10")
    s.order("acute", "2026-08-03T09:00:00+02:00", "acute", daily(2, "2026-08-03", "2026-08-04"),
            [ordered(qty(1, "g/kg"), qty(0.3, "mL/kg/h")), calculated(qty(55, "g"))],
            "1 g/kg (55 g) daily for 2 days; day 2 may be withheld if platelets respond")
    s.infusion("infusion-1", "acute", "2026-08-03T10:00:00+02:00", "2026-08-03T14:00:00+02:00", qty(550, "mL"), qty(2.4, "mL/kg/h"))
    s.infusion("infusion-2", "acute", "2026-08-04T10:00:00+02:00", "2026-08-04T13:30:00+02:00", qty(55, "g"), qty(2.4, "mL/kg/h"))
    return s


def pid():
    s = Story("pid")
    s.patient("male", "1990-10-10", "de Boer", "Thomas")
    s.condition((ICD10CM, "D80.1", "Nonfamilial hypogammaglobulinemia"), text="Primary humoral immunodeficiency")
    s.vital("weight", "29463-7", "Body weight", "2026-01-05T09:00:00+01:00", 72, "kg")
    s.medication("gammagard-liquid-10")
    s.order("replacement", "2026-01-05T10:00:00+01:00", "continuous",
            {"boundsPeriod": {"start": "2026-01-06"}, "frequency": 1, "period": 4, "periodUnit": "wk"},
            [ordered(qty(0.4, "g/kg"), qty(0.48, "mL/kg/h")), calculated(qty(28.8, "g"))],
            "Replacement 0.4 g/kg (28.8 g, rounded to 30 g) every 4 weeks; start 0.48 mL/kg/h")
    s.infusion("infusion-1", "replacement", "2026-01-06T09:00:00+01:00", "2026-01-06T11:00:00+01:00", qty(30, "g"), qty(4.8, "mL/kg/h"))
    s.infusion("infusion-2", "replacement", "2026-02-03T09:00:00+01:00", "2026-02-03T10:45:00+01:00", qty(30, "g"), qty(4.8, "mL/kg/h"))
    return s


# Invalid variants: each breaks one dosing rule of a valid story --------------------------------

def variants():
    v = {}

    s = cidp()  # course dose 0.5 g/kg x 5 = 2.5 g/kg, above the 2 g/kg induction
    dose = s.resource("induction")["dosageInstruction"][0]["doseAndRate"]
    dose[0]["doseQuantity"] = qty(0.5, "g/kg")
    dose[1]["doseQuantity"] = qty(34, "g")
    s.resource("induction")["dosageInstruction"][0]["text"] = "0.5 g/kg/day for 5 days (34 g)"
    for name in ("infusion-1", "infusion-2"):
        s.resource(name)["dosage"]["dose"] = qty(35, "g")
    v["cidp-course-dose-too-high"] = s

    s = cidp()  # 40 g calculated for 0.4 g/kg x 68 kg (should be 27.2 g)
    s.resource("induction")["dosageInstruction"][0]["doseAndRate"][1]["doseQuantity"] = qty(40, "g")
    v["cidp-dose-not-matching-weight"] = s

    s = cidp()  # maintenance 10 days after the start of induction
    s.resource("maintenance")["authoredOn"] = "2026-03-10T10:00:00+01:00"
    s.resource("maintenance")["dosageInstruction"][0]["timing"]["repeat"]["boundsPeriod"] = {"start": "2026-03-12", "end": "2026-03-12"}
    s.resource("infusion-3")["effectivePeriod"] = {"start": "2026-03-12T09:00:00+01:00", "end": "2026-03-12T14:00:00+01:00"}
    v["cidp-maintenance-too-soon"] = s

    s = cidp()  # maintenance 0.4 g/kg over 5 days: maintenance lasts 1-4 days
    maintenance = s.resource("maintenance")["dosageInstruction"][0]
    maintenance["timing"]["repeat"] = daily(5, "2026-03-23", "2026-03-27")
    maintenance["doseAndRate"][0]["doseQuantity"] = qty(0.4, "g/kg")
    maintenance["doseAndRate"][1]["doseQuantity"] = qty(27.2, "g")
    maintenance["text"] = "Maintenance 2 g/kg over 5 days: 0.4 g/kg/day (27.2 g)"
    s.resource("infusion-3")["dosage"]["dose"] = qty(27.5, "g")
    v["cidp-maintenance-five-days"] = s

    s = cidp()  # the second infusion gave another product than ordered
    s.medication("gamunex-c-10", name="other-medication")
    s.resource("infusion-2")["medicationReference"] = s.ref("other-medication")
    v["cidp-infusion-other-product"] = s

    s = cidp()  # MRC sum score 72 on a 0-60 scale
    s.resource("mrc-baseline")["valueInteger"] = 72
    v["cidp-mrc-out-of-scale"] = s

    s = cidp()  # the reaction is dated before the infusion it is linked to
    s.resource("reaction")["date"] = "2026-03-02T08:15:00+01:00"
    v["cidp-reaction-before-infusion"] = s

    s = cidp()  # the reaction names no suspect infusion
    del s.resource("reaction")["suspectEntity"]
    v["cidp-reaction-not-linked"] = s

    s = cidp()  # Privigen 10% recorded with a strength of 50 mg/mL
    s.resource("medication")["ingredient"][0]["strength"]["numerator"] = qty(50, "mg")
    v["cidp-product-strength-mismatch"] = s

    s = mmn()  # 120 g given where 1 g/kg x 79.8 kg was ordered
    s.resource("infusion-1")["dosage"]["dose"] = qty(120, "g")
    v["mmn-infusion-dose-too-high"] = s

    s = gbs()  # a second GBS course three weeks later
    s.order("second-course", "2026-05-31T09:00:00+02:00", "acute", daily(5, "2026-06-01", "2026-06-05"),
            [ordered(qty(24, "g"), qty(1, "mg/kg/min"))], "Second course: 0.4 g/kg/day for 5 days",
            reason=concept((SNOMED, "40956001", "Guillain-Barre syndrome"), text="GBS"))
    v["gbs-second-course"] = s

    s = mg()  # 900 mL/h for 96 kg of a 10% product = 15.6 mg/kg/min
    s.resource("exacerbation")["dosageInstruction"][0]["doseAndRate"][0]["rateRatio"]["numerator"] = qty(900, "mL")
    v["mg-rate-above-maximum"] = s

    s = kawasaki()  # up to 6 mL/kg/h = 10 mg/kg/min, above Privigen's 8
    s.resource("single-infusion")["dosageInstruction"][0]["doseAndRate"][0]["rateRange"]["high"] = qty(6, "mL/kg/h")
    v["kd-rate-range-above-maximum"] = s

    s = kawasaki()  # a weight typed as 1820 kg the day after
    s.vital("weight-typo", "29463-7", "Body weight", "2026-07-16T08:00:00+02:00", 1820, "kg")
    v["kd-weight-out-of-range"] = s

    s = itp()  # 2 g/kg on a single day: above 1 g/kg a day
    acute = s.resource("acute")["dosageInstruction"][0]
    acute["timing"]["repeat"] = daily(1, "2026-08-03", "2026-08-03")
    acute["doseAndRate"][0]["doseQuantity"] = qty(2, "g/kg")
    acute["doseAndRate"][1]["doseQuantity"] = qty(110, "g")
    acute["text"] = "2 g/kg (110 g) in one day"
    s.resource("infusion-1")["dosage"]["dose"] = qty(1100, "mL")
    s.entries.pop(s.index("infusion-2"))
    v["itp-daily-dose-too-high"] = s

    s = itp()  # starts at 0.6 mL/kg/h = 1 mg/kg/min, above Privigen's 0.5 for ITP
    s.resource("acute")["dosageInstruction"][0]["doseAndRate"][0]["rateQuantity"] = qty(0.6, "mL/kg/h")
    v["itp-start-rate-too-high"] = s

    s = itp()  # the second infusion two days after the course ended
    s.resource("infusion-2")["effectivePeriod"] = {"start": "2026-08-06T10:00:00+02:00", "end": "2026-08-06T13:30:00+02:00"}
    v["itp-infusion-after-course"] = s

    s = pid()  # the second infusion recorded for another patient
    s.resource("infusion-2")["subject"] = {"reference": "Patient/pid-someone-else"}
    v["pid-infusion-other-patient"] = s

    s = pid()  # every 2 weeks: replacement is every 3-4 weeks
    s.resource("replacement")["dosageInstruction"][0]["timing"]["repeat"]["period"] = 2
    s.resource("infusion-2")["effectivePeriod"] = {"start": "2026-01-20T09:00:00+01:00", "end": "2026-01-20T10:45:00+01:00"}
    v["pid-interval-too-short"] = s
    return v


# Context examples: single resources that lack what dosing needs ---------------------------------

def context_examples():
    order = {
        "resourceType": "MedicationRequest",
        "id": "order-without-context",
        "status": "active",
        "intent": "order",
        "medicationCodeableConcept": concept((PRODUCT, "privigen-10", "Privigen 10%"), (ATC, "J06BA02", "Immunoglobulins, normal human, for intravascular adm.")),
        "subject": {"reference": "Patient/p-404"},
        "authoredOn": "2026-09-01T08:00:00+02:00",
        "reasonReference": [{"reference": "Condition/c-404"}],
        "dosageInstruction": [{
            "timing": {"repeat": daily(2, "2026-09-01", "2026-09-02")},
            "doseAndRate": [ordered(qty(1, "g/kg"), qty(0.3, "mL/kg/h"))],
        }],
    }
    infusion = {
        "resourceType": "MedicationAdministration",
        "id": "infusion-without-order",
        "status": "completed",
        "medicationCodeableConcept": concept((PRODUCT, "privigen-10", "Privigen 10%")),
        "subject": {"reference": "Patient/p-404"},
        "effectiveDateTime": "2026-09-01T10:00:00+02:00",
        "request": {"reference": "MedicationRequest/o-404"},
        "dosage": {"dose": qty(70, "g"), "rateQuantity": qty(4.8, "mL/kg/h")},
    }
    for resource in (order, infusion):
        resource["text"] = narrative(resource)
    return {"order-without-context": order, "infusion-without-order": infusion}


def ndjson_lines(story):
    """The story's resources one per line, with urn:uuid references rewritten to Type/id."""
    by_urn = {e["fullUrl"]: e["resource"]["resourceType"] + "/" + e["resource"]["id"] for e in story.entries}

    def rewrite(node):
        if isinstance(node, dict):
            return {k: (by_urn.get(v, v) if k == "reference" else rewrite(v)) for k, v in node.items()}
        if isinstance(node, list):
            return [rewrite(x) for x in node]
        return node

    return [json.dumps(rewrite(e["resource"]), ensure_ascii=False, separators=(",", ":")) for e in story.entries]


def write(path, resource):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as out:
        out.write(json.dumps(resource, indent=2, ensure_ascii=False) + "\n")


def main():
    stories = {
        "cidp-induction-maintenance": cidp(), "mmn-induction": mmn(), "gbs-course": gbs(),
        "mg-exacerbation": mg(), "kd-single-infusion": kawasaki(), "itp-acute": itp(), "pid-replacement": pid(),
    }
    for name, story in stories.items():
        write(os.path.join(HERE, "json", "valid", name + ".json"), story.bundle())
    for name, story in variants().items():
        write(os.path.join(HERE, "json", "invalid", name + ".json"), story.bundle())
    for name, resource in context_examples().items():
        write(os.path.join(HERE, "json", "context", name + ".json"), resource)
    os.makedirs(os.path.join(HERE, "ndjson"), exist_ok=True)
    with open(os.path.join(HERE, "ndjson", "pid-replacement.ndjson"), "w", encoding="utf-8") as out:
        out.write("\n".join(ndjson_lines(pid())) + "\n")


if __name__ == "__main__":
    main()
