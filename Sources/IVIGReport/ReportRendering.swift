import FHIRJSON

/// Writes ``PatientReport``s as text for a terminal, JSON for machines, or one self-contained
/// HTML page (inline CSS, inline SVG charts, no network) with a print layout.
public enum ReportRendering {
    // MARK: Text

    /// Plain text, one block per patient.
    public static func text(_ reports: [PatientReport]) -> String {
        var out = ""
        for report in reports {
            out += "Patient \(report.patientID)\(report.name.map { " (\($0))" } ?? "")\n"
            for course in report.courses {
                out +=
                    "  Course \(course.orderID): \(course.indication ?? "indication unknown"), \(course.product ?? "product unknown")"
                out += ", \(course.firstInfusion ?? "?") to \(course.lastInfusion ?? "?")\n"
                out +=
                    "    dose \(course.dosePerKg ?? "?") per day (\(course.dosePerDay ?? "?")), dosing weight \(course.dosingWeight ?? "?")"
                out +=
                    ", \(course.infusionCount) infusion(s), \(course.totalGrams) in all, highest rate \(course.highestRate ?? "?")\n"
            }
            for infusion in report.infusions {
                out +=
                    "  Infusion \(infusion.id) (\(infusion.orderLabel ?? "no order")): \(infusion.start ?? "?") to \(infusion.end ?? "?")"
                out += ", \(infusion.dose ?? "?"), \(infusion.status ?? "")\n"
            }
            for reaction in report.reactions {
                out +=
                    "  Reaction \(reaction.id): \(reaction.event) (\(reaction.seriousness ?? "seriousness unknown")) on \(reaction.date ?? "?")"
                out += " after infusion \(reaction.infusionID ?? "?"), rate at onset \(reaction.rateAtOnset ?? "?")\n"
            }
            for measure in report.measures {
                let series = measure.points.map { "\($0.date) \($0.text)" }.joined(separator: "; ")
                out += "  \(measure.name): \(series)\n"
                out += "    baseline \(measure.baseline?.text ?? "none"), follow-up \(measure.followUp?.text ?? "none")"
                out += ", change \(measure.change ?? "none"): \(measure.response)\n"
            }
            for check in report.fever {
                out +=
                    "  Fever after infusion \(check.infusionID) (ended \(check.infusionEnd), 36 h mark \(check.mark)): \(check.verdict)\n"
            }
        }
        return out
    }

    // MARK: JSON

    /// The same facts as JSON: `{"patients":[…]}`.
    public static func json(_ reports: [PatientReport]) -> String {
        var writer = ReportJSONWriter()
        writer.object {
            $0.array("patients", reports) { w, report in
                w.object { o in
                    o.string("patientID", report.patientID)
                    o.string("name", report.name)
                    o.array("courses", report.courses) { w, c in
                        w.object { o in
                            o.string("orderID", c.orderID); o.string("indication", c.indication);
                            o.string("product", c.product)
                            o.string("firstInfusion", c.firstInfusion); o.string("lastInfusion", c.lastInfusion)
                            o.string("dosePerKg", c.dosePerKg); o.string("dosePerDay", c.dosePerDay)
                            o.string("dosingWeight", c.dosingWeight); o.string("totalGrams", c.totalGrams)
                            o.string("highestRate", c.highestRate); o.number("infusions", Double(c.infusionCount))
                        }
                    }
                    o.array("infusions", report.infusions) { w, i in
                        w.object { o in
                            o.string("id", i.id); o.string("order", i.orderLabel); o.string("start", i.start);
                            o.string("end", i.end)
                            o.string("status", i.status); o.string("dose", i.dose);
                            o.string("highestRate", i.highestRate)
                        }
                    }
                    o.array("reactions", report.reactions) { w, r in
                        w.object { o in
                            o.string("id", r.id); o.string("event", r.event); o.string("date", r.date)
                            o.string("seriousness", r.seriousness); o.string("infusionID", r.infusionID);
                            o.string("rateAtOnset", r.rateAtOnset)
                        }
                    }
                    o.array("measures", report.measures) { w, m in
                        w.object { o in
                            o.string("name", m.name); o.string("unit", m.unit)
                            o.array("points", m.points) { w, p in
                                w.object { o in
                                    o.string("date", p.date); o.number("value", p.value)
                                }
                            }
                            o.string("baseline", m.baseline?.text); o.string("followUp", m.followUp?.text)
                            o.string("change", m.change); o.string("response", m.response)
                        }
                    }
                    o.array("fever", report.fever) { w, f in
                        w.object { o in
                            o.string("infusionID", f.infusionID); o.string("infusionEnd", f.infusionEnd)
                            o.string("mark36h", f.mark); o.string("verdict", f.verdict)
                        }
                    }
                }
            }
        }
        return writer.text + "\n"
    }

    // MARK: HTML

    /// One HTML page: per patient a timeline, tables, and an SVG chart per measure with the
    /// courses marked. A small inline script counts each chart's points against the number the
    /// page states and writes the result into `<body data-check>` (for tests in a browser).
    public static func html(_ reports: [PatientReport]) -> String {
        var body = ""
        for report in reports { body += patientSection(report) }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>IVIG response report</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <script>window.reportErrors=[];window.addEventListener('error',function(e){window.reportErrors.push(String(e.message));});</script>
            <style>
            body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5rem;color:#1b1b1b;max-width:70rem}
            h1{font-size:1.4rem}h2{font-size:1.2rem;border-bottom:2px solid #2a6f97;padding-bottom:.2rem;margin-top:2rem}
            h3{font-size:1rem;margin:1.2rem 0 .4rem}table{border-collapse:collapse;margin:.4rem 0;font-size:.9rem}
            th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#eef4f8}
            .response{font-weight:600}.chart{display:block;margin:.3rem 0}.timeline{display:block;margin:.5rem 0}
            .course{fill:#a9d6e5;opacity:.55}.point{fill:#2a6f97}.line{stroke:#2a6f97;fill:none;stroke-width:2}
            .axis{stroke:#555;stroke-width:1}.label{font-size:11px;fill:#333}.mark{stroke:#c1121f;stroke-dasharray:4 3}
            .reaction{fill:#c1121f}.infusion{fill:#01497c}section.patient{page-break-after:always}
            @media print{body{margin:0;max-width:none;font-size:10pt}h2{page-break-before:always}
            section.patient{page-break-after:always}.chart,.timeline{page-break-inside:avoid}}
            </style></head>
            <body data-check="pending">
            <h1>IVIG courses and response</h1>
            <p>Responses follow <em>ivig-dosing.md</em> section 6: adjusted INCAT better by 1 point or more is a
            responder (ICE, ProCID); Kawasaki disease: fever 36 h or more after the infusion ends calls for a
            second dose. Not medical advice.</p>
            \(body)
            <script>
            (function(){var charts=document.querySelectorAll('svg.chart');var bad=[];
            charts.forEach(function(c){var want=+c.getAttribute('data-points');var got=c.querySelectorAll('circle.point').length;
            if(want!==got||got===0){bad.push(c.id+':'+got+'/'+want);}});
            bad=bad.concat(window.reportErrors);
            document.body.setAttribute('data-check',bad.length?('failed '+bad.join(',')):('ok '+charts.length+' charts'));})();
            </script>
            </body></html>

            """
    }

    private static func patientSection(_ report: PatientReport) -> String {
        var html = "<section class=\"patient\" id=\"patient-\(escape(report.patientID))\">"
        html += "<h2>Patient \(escape(report.patientID))\(report.name.map { " — " + escape($0) } ?? "")</h2>"
        html += timeline(report)
        html +=
            "<h3>Courses</h3><table><tr><th>Order</th><th>Indication</th><th>Product</th><th>Infusions</th>"
            + "<th>Dose per kg per day</th><th>Dose per day</th><th>Dosing weight</th><th>Total</th><th>Highest rate</th></tr>"
        for c in report.courses {
            html +=
                "<tr><td>\(escape(c.orderID))</td><td>\(escape(c.indication ?? "?"))</td><td>\(escape(c.product ?? "?"))</td>"
                + "<td>\(c.infusionCount): \(escape(c.firstInfusion ?? "?")) to \(escape(c.lastInfusion ?? "?"))</td>"
                + "<td>\(escape(c.dosePerKg ?? "?"))</td><td>\(escape(c.dosePerDay ?? "?"))</td><td>\(escape(c.dosingWeight ?? "?"))</td>"
                + "<td>\(escape(c.totalGrams))</td><td>\(escape(c.highestRate ?? "?"))</td></tr>"
        }
        html +=
            "</table><h3>Infusions and reactions</h3><table><tr><th>Infusion</th><th>Order</th><th>Start</th><th>End</th>"
            + "<th>Dose</th><th>Highest rate</th><th>Status</th><th>Reactions</th></tr>"
        for i in report.infusions {
            let reactions = report.reactions.filter { $0.infusionID == i.id }.map { r in
                "\(escape(r.event)) (\(escape(r.seriousness ?? "?")), \(escape(r.date ?? "?")), rate at onset \(escape(r.rateAtOnset ?? "?")))"
            }.joined(separator: "<br>")
            html +=
                "<tr><td>\(escape(i.id))</td><td>\(escape(i.orderLabel ?? ""))</td><td>\(escape(i.start ?? ""))</td>"
                + "<td>\(escape(i.end ?? ""))</td><td>\(escape(i.dose ?? ""))</td><td>\(escape(i.highestRate ?? ""))</td>"
                + "<td>\(escape(i.status ?? ""))</td><td>\(reactions)</td></tr>"
        }
        html += "</table>"
        if !report.measures.isEmpty { html += "<h3>Measures of response</h3>" }
        for (index, measure) in report.measures.enumerated() {
            html += "<h4>\(escape(measure.name))</h4>"
            html += chart(measure, report: report, id: "chart-\(escape(report.patientID))-\(index)")
            html +=
                "<table><tr><th>Baseline</th><th>Follow-up</th><th>Change</th><th>Response</th></tr><tr>"
                + "<td>\(escape(measure.baseline.map { "\($0.text) (\($0.date))" } ?? "none"))</td>"
                + "<td>\(escape(measure.followUp.map { "\($0.text) (\($0.date))" } ?? "none"))</td>"
                + "<td>\(escape(measure.change ?? "—"))</td><td class=\"response\">\(escape(measure.response))</td></tr></table>"
        }
        if !report.fever.isEmpty {
            html +=
                "<h3>Kawasaki disease: fever after each infusion</h3><table><tr><th>Infusion</th><th>Ended</th>"
                + "<th>36-hour mark</th><th>Fever</th></tr>"
            for f in report.fever {
                html +=
                    "<tr><td>\(escape(f.infusionID))</td><td>\(escape(f.infusionEnd))</td><td>\(escape(f.mark))</td>"
                    + "<td class=\"response\">\(escape(f.verdict))</td></tr>"
            }
            html += "</table>"
        }
        return html + "</section>\n"
    }

    /// The time range every picture of a patient shares: first to last event, with a margin.
    private static func range(_ report: PatientReport, extra: [Double] = []) -> (Double, Double) {
        var times = report.infusions.compactMap(\.startTime) + report.infusions.compactMap(\.endTime)
        times += report.measures.flatMap { $0.points.map(\.time) } + report.reactions.compactMap(\.time) + extra
        times += report.fever.map { $0.endTime + ReportBuilder.kawasakiMarkHours / 24 }
        guard let low = times.min(), let high = times.max() else { return (0, 1) }
        let margin = max((high - low) * 0.04, 0.5)
        return (low - margin, high + margin)
    }

    private static func timeline(_ report: PatientReport) -> String {
        let (low, high) = range(report)
        let width = 900.0, left = 10.0
        func x(_ t: Double) -> String { fmt(left + (t - low) / (high - low) * (width - 2 * left)) }
        var svg =
            "<svg class=\"timeline\" width=\"\(Int(width))\" height=\"70\" viewBox=\"0 0 \(Int(width)) 70\" role=\"img\" aria-label=\"Timeline\">"
        svg += "<line class=\"axis\" x1=\"\(fmt(left))\" y1=\"50\" x2=\"\(fmt(width - left))\" y2=\"50\"/>"
        for course in report.courses {
            guard let span = course.span else { continue }
            svg +=
                "<rect class=\"course\" x=\"\(x(span.lowerBound))\" y=\"10\" width=\"\(fmt(max(3, Double(x(span.upperBound))! - Double(x(span.lowerBound))!)))\" height=\"40\"><title>\(escape(course.orderID))</title></rect>"
            svg += "<text class=\"label\" x=\"\(x(span.lowerBound))\" y=\"64\">\(escape(course.orderID))</text>"
        }
        for infusion in report.infusions {
            guard let t = infusion.startTime else { continue }
            svg +=
                "<rect class=\"infusion\" x=\"\(x(t))\" y=\"22\" width=\"3\" height=\"16\"><title>\(escape(infusion.id)) \(escape(infusion.start ?? ""))</title></rect>"
        }
        for reaction in report.reactions {
            guard let t = reaction.time else { continue }
            svg +=
                "<polygon class=\"reaction\" points=\"\(x(t)),4 \(fmt(Double(x(t))! - 5)),14 \(fmt(Double(x(t))! + 5)),14\"><title>\(escape(reaction.event))</title></polygon>"
        }
        return svg + "</svg>"
    }

    private static func chart(_ measure: PatientReport.Measure, report: PatientReport, id: String) -> String {
        let (low, high) = range(report)
        let values = measure.points.map(\.value)
        var minimum = values.min() ?? 0, maximum = values.max() ?? 1
        if measure.name == "Body temperature" { maximum = max(maximum, ReportBuilder.feverCelsius + 0.5) }
        if maximum - minimum < 1 { minimum -= 0.5; maximum += 0.5 }
        let width = 900.0, height = 220.0, left = 50.0, top = 15.0, bottom = 30.0
        func x(_ t: Double) -> Double { left + (t - low) / (high - low) * (width - left - 10) }
        func y(_ v: Double) -> Double { top + (maximum - v) / (maximum - minimum) * (height - top - bottom) }
        var svg =
            "<svg class=\"chart\" id=\"\(id)\" data-points=\"\(measure.points.count)\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(escape(measure.name))\">"
        for course in report.courses {
            guard let span = course.span else { continue }
            svg +=
                "<rect class=\"course\" x=\"\(fmt(x(span.lowerBound)))\" y=\"\(fmt(top))\" width=\"\(fmt(max(3, x(span.upperBound) - x(span.lowerBound))))\" height=\"\(fmt(height - top - bottom))\"><title>course \(escape(course.orderID))</title></rect>"
        }
        svg +=
            "<line class=\"axis\" x1=\"\(fmt(left))\" y1=\"\(fmt(height - bottom))\" x2=\"\(fmt(width - 10))\" y2=\"\(fmt(height - bottom))\"/>"
        svg +=
            "<line class=\"axis\" x1=\"\(fmt(left))\" y1=\"\(fmt(top))\" x2=\"\(fmt(left))\" y2=\"\(fmt(height - bottom))\"/>"
        svg += "<text class=\"label\" x=\"4\" y=\"\(fmt(y(maximum) + 4))\">\(fmt(maximum))</text>"
        svg += "<text class=\"label\" x=\"4\" y=\"\(fmt(y(minimum)))\">\(fmt(minimum))</text>"
        svg += "<text class=\"label\" x=\"\(fmt(left + 4))\" y=\"\(fmt(height - 8))\">\(escape(measure.unit))</text>"
        if measure.name == "Body temperature" {
            let fever = y(ReportBuilder.feverCelsius)
            svg +=
                "<line class=\"mark\" x1=\"\(fmt(left))\" y1=\"\(fmt(fever))\" x2=\"\(fmt(width - 10))\" y2=\"\(fmt(fever))\"><title>38.0 °C</title></line>"
            for check in report.fever {
                let mark = x(check.endTime + ReportBuilder.kawasakiMarkHours / 24)
                svg +=
                    "<line class=\"mark\" x1=\"\(fmt(mark))\" y1=\"\(fmt(top))\" x2=\"\(fmt(mark))\" y2=\"\(fmt(height - bottom))\"><title>36 h after \(escape(check.infusionID))</title></line>"
                svg += "<text class=\"label\" x=\"\(fmt(mark + 3))\" y=\"\(fmt(top + 10))\">36 h</text>"
            }
        }
        let path = measure.points.map { "\(fmt(x($0.time))),\(fmt(y($0.value)))" }.joined(separator: " ")
        if measure.points.count > 1 { svg += "<polyline class=\"line\" points=\"\(path)\"/>" }
        for point in measure.points {
            svg +=
                "<circle class=\"point\" cx=\"\(fmt(x(point.time)))\" cy=\"\(fmt(y(point.value)))\" r=\"4\"><title>\(escape(point.date)): \(escape(point.text))</title></circle>"
        }
        return svg + "</svg>"
    }

    private static func fmt(_ value: Double) -> String { ReportBuilder.number(value, decimals: 1) }

    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}

/// A small JSON writer for the report (strings escaped per RFC 8259; `null` for missing values).
struct ReportJSONWriter {
    var text = ""
    private var needsComma = false

    mutating func object(_ body: (inout ReportJSONWriter) -> Void) {
        separate(); text += "{"; needsComma = false
        body(&self)
        text += "}"; needsComma = true
    }

    mutating func key(_ name: String) { separate(); text += JSONText.quoted(name) + ":"; needsComma = false }

    mutating func string(_ name: String, _ value: String?) {
        key(name); text += value.map(JSONText.quoted) ?? "null"; needsComma = true
    }

    mutating func number(_ name: String, _ value: Double) {
        key(name); text += ReportBuilder.number(value, decimals: 4); needsComma = true
    }

    mutating func array<T>(_ name: String, _ items: [T], _ element: (inout ReportJSONWriter, T) -> Void) {
        key(name); text += "["; needsComma = false
        for item in items { element(&self, item) }
        text += "]"; needsComma = true
    }

    private mutating func separate() { if needsComma { text += "," } }

}
