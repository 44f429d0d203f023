/// The first pass of streaming validation: which records must be validated together.
///
/// Every record and every key or reference text (hashed to 64 bits) is a node of a union-find
/// forest. A record is joined with its keys and its patient links (``ContextLinks``), so the
/// records of one patient, and whatever names them, end in one group. A group's context also
/// holds the records its lookups name (a shared Medication) without joining their groups.
///
/// Memory is a few integers per record and per key (no resources, no bytes). A hash collision
/// can only join groups that need not be joined: the context grows, the findings stay the same.
final class LinkIndex {
    private var parent: [Int32] = []
    private var nodeOfKey: [UInt64: Int32] = [:]
    /// Record number → its node.
    private var recordNode: [Int32] = []
    /// (key node, record) for every key a record owns.
    private var owners: [(key: Int32, record: Int32)] = []
    /// (record, key node) for every lookup a record makes.
    private var lookups: [(record: Int32, key: Int32)] = []

    var recordCount: Int { recordNode.count }

    /// Adds the next record (numbered in reading order) with its links.
    func add(_ links: HashedLinks) {
        let record = Int32(recordNode.count)
        let node = newNode()
        recordNode.append(node)
        for key in links.keys {
            let keyNode = self.node(key)
            owners.append((keyNode, record))
            union(node, keyNode)
        }
        for link in links.patientLinks { union(node, self.node(link)) }
        for lookup in links.lookups { lookups.append((record, self.node(lookup))) }
    }

    /// The groups, and when each can be validated and each record let go.
    func plan() -> GroupPlan {
        let count = recordNode.count
        var groupOfRoot: [Int32: Int32] = [:]
        var group = [Int32](repeating: 0, count: count)
        for record in 0..<count {
            let root = find(recordNode[record])
            if let known = groupOfRoot[root] {
                group[record] = known
            } else {
                let next = Int32(groupOfRoot.count)
                groupOfRoot[root] = next
                group[record] = next
            }
        }
        groupOfRoot = [:]
        parent = []
        nodeOfKey = [:]
        let groups = Int(group.max().map { $0 + 1 } ?? 0)
        // Records of other groups that a group's lookups name.
        owners.sort { $0.key < $1.key }
        var extras: [(group: Int32, record: Int32)] = []
        for (record, key) in lookups {
            var index = lowerBound(key)
            while index < owners.count, owners[index].key == key {
                let owner = owners[index].record
                if group[Int(owner)] != group[Int(record)] { extras.append((group[Int(record)], owner)) }
                index += 1
            }
        }
        owners = []
        lookups = []
        extras.sort { $0.group != $1.group ? $0.group < $1.group : $0.record < $1.record }
        var plan = GroupPlan(recordCount: count, groupCount: groups)
        for record in 0..<count {
            let owner = Int(group[record])
            plan.ready[owner] = Int32(record)
            plan.memberCount[owner] += 1
        }
        var lastExtra: (group: Int32, record: Int32)? = nil
        for extra in extras where lastExtra.map({ $0 != extra }) ?? true {
            lastExtra = extra
            plan.ready[Int(extra.group)] = max(plan.ready[Int(extra.group)], extra.record)
            plan.extras[extra.group, default: []].append(extra.record)
        }
        // A record is let go once every group that needs it has been validated.
        for record in 0..<count { plan.release[record] = plan.ready[Int(group[record])] }
        for (owner, records) in plan.extras {
            for record in records { plan.release[Int(record)] = max(plan.release[Int(record)], plan.ready[Int(owner)]) }
        }
        plan.group = group
        return plan
    }

    private func lowerBound(_ key: Int32) -> Int {
        var low = 0, high = owners.count
        while low < high {
            let middle = (low + high) / 2
            if owners[middle].key < key { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private func newNode() -> Int32 {
        parent.append(Int32(parent.count))
        return Int32(parent.count - 1)
    }

    private func node(_ key: UInt64) -> Int32 {
        if let known = nodeOfKey[key] { return known }
        let created = newNode()
        nodeOfKey[key] = created
        return created
    }

    private func find(_ node: Int32) -> Int32 {
        var root = node
        while parent[Int(root)] != root { root = parent[Int(root)] }
        var current = node
        while parent[Int(current)] != root {
            let next = parent[Int(current)]
            parent[Int(current)] = root
            current = next
        }
        return root
    }

    private func union(_ a: Int32, _ b: Int32) {
        let rootA = find(a), rootB = find(b)
        if rootA != rootB { parent[Int(max(rootA, rootB))] = min(rootA, rootB) }
    }
}

/// A record's ``FHIRValidation/ContextLinks`` as 64-bit hashes (FNV-1a, stable across runs).
struct HashedLinks: Sendable {
    var keys: [UInt64] = []
    var patientLinks: [UInt64] = []
    var lookups: [UInt64] = []

    static func hash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}

/// Which group each record belongs to, and the points in the second pass (record numbers)
/// at which a group is complete and a record is no longer needed.
struct GroupPlan {
    /// Record → group.
    var group: [Int32]
    /// Group → the last record it needs (its members and its extras).
    var ready: [Int32]
    /// Group → how many members.
    var memberCount: [Int32]
    /// Group → records of other groups its context needs, in order.
    var extras: [Int32: [Int32]] = [:]
    /// Record → the last record after which no group needs it.
    var release: [Int32]

    init(recordCount: Int, groupCount: Int) {
        group = []
        ready = [Int32](repeating: 0, count: groupCount)
        memberCount = [Int32](repeating: 0, count: groupCount)
        release = [Int32](repeating: 0, count: recordCount)
    }
}
