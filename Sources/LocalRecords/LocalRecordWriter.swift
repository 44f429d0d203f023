internal import FHIRCore

/// Writes local records as JSON in the schema's field order: one line, no spaces, numbers exactly
/// as their text, absent fields left out.
public struct LocalRecordWriter: Sendable {
    /// Creates a writer.
    public init() {}

    /// The record as one line of NDJSON (without the line break).
    public func json(_ record: LocalRecord) -> [UInt8] {
        switch record {
        case .order(let order): return Self.object(order).bytes
        case .infusion(let infusion): return Self.object(infusion).bytes
        case .assessment(let assessment): return Self.object(assessment).bytes
        case .reaction(let reaction): return Self.object(reaction).bytes
        }
    }

    /// Records as NDJSON, one per line, each line ending in a line break.
    public func ndjson(_ records: [LocalRecord]) -> [UInt8] {
        var out: [UInt8] = []
        for record in records {
            out.append(contentsOf: json(record))
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }

    private static func object(_ order: LocalOrder) -> OrderedJSON {
        var members = Members(kind: "order", id: order.id, mrn: order.mrn)
        members.add("weight", order.weight)
        members.add("height", order.height)
        members.add("indication", order.indication)
        members.add("product", order.product)
        members.add("dose_per_kg", order.dosePerKg)
        members.add("dose_per_day", order.dosePerDay)
        members.list.append(("days", .number(String(order.days))))
        members.add("interval", order.interval)
        members.add("initial_rate", order.initialRate)
        members.add("max_rate", order.maxRate)
        if !order.premedication.isEmpty {
            members.list.append(("premedication", .array(order.premedication.map { .string($0) })))
        }
        members.add("prescriber", order.prescriber)
        members.add("ordered_at", order.orderedAt)
        members.add("status", order.status)
        members.add("comment", order.comment)
        return .object(members.list)
    }

    private static func object(_ infusion: LocalInfusion) -> OrderedJSON {
        var members = Members(kind: "infusion", id: infusion.id, mrn: nil)
        members.add("order_id", infusion.orderID)
        members.add("mrn", infusion.mrn)
        members.add("product", infusion.product)
        members.add("lot", infusion.lot)
        members.add("dose", infusion.dose)
        members.add("volume", infusion.volume)
        if !infusion.rateSteps.isEmpty {
            members.list.append(
                (
                    "rate_steps",
                    .array(
                        infusion.rateSteps.map { step in
                            .object([("at", .string(step.at)), ("rate", quantity(step.rate))])
                        })
                ))
        }
        members.add("start", infusion.start)
        members.add("end", infusion.end)
        members.add("status", infusion.status)
        members.add("nurse", infusion.nurse)
        if let reaction = infusion.reaction { members.list.append(("reaction", .bool(reaction))) }
        members.add("comment", infusion.comment)
        return .object(members.list)
    }

    private static func object(_ assessment: LocalAssessment) -> OrderedJSON {
        var members = Members(kind: "assessment", id: assessment.id, mrn: assessment.mrn)
        members.add("type", assessment.type)
        members.add("result", assessment.result)
        members.add("taken_at", assessment.takenAt)
        members.add("status", assessment.status)
        members.add("timing", assessment.timing?.rawValue)
        members.add("order_id", assessment.orderID)
        members.add("comment", assessment.comment)
        return .object(members.list)
    }

    private static func object(_ reaction: LocalReaction) -> OrderedJSON {
        var members = Members(kind: "reaction", id: reaction.id, mrn: reaction.mrn)
        members.add("infusion_id", reaction.infusionID)
        members.add("type", reaction.type)
        members.add("severity", reaction.severity)
        members.list.append(("serious", .bool(reaction.serious)))
        members.add("onset", reaction.onset)
        members.add("action", reaction.action)
        members.add("outcome", reaction.outcome)
        return .object(members.list)
    }

    private static func quantity(_ quantity: LocalQuantity) -> OrderedJSON {
        var members: [(String, OrderedJSON)] = [("value", .number(quantity.value.text))]
        if let unit = quantity.unit { members.append(("unit", .string(unit))) }
        return .object(members)
    }

    /// An object's members in order, skipping absent values.
    private struct Members {
        var list: [(String, OrderedJSON)]

        init(kind: String, id: String, mrn: String?) {
            list = [("kind", .string(kind)), ("id", .string(id))]
            if let mrn { list.append(("mrn", .string(mrn))) }
        }

        mutating func add(_ key: String, _ value: String?) {
            if let value { list.append((key, .string(value))) }
        }

        mutating func add(_ key: String, _ value: LocalQuantity?) {
            if let value { list.append((key, LocalRecordWriter.quantity(value))) }
        }
    }
}
