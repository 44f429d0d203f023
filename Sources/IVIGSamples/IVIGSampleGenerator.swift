public import FHIRCore
public import IVIGProducts

/// Realistic, deterministic IVIG records: the same seed always gives the same resources.
///
/// Records come in patient episodes: a Patient, the diagnosis (Condition), the body weight
/// (LOINC 29463-7), the product (a Medication, or contained in the order), the order
/// (MedicationRequest, dosed per indication: CIDP, MMN, GBS, MG, Kawasaki disease, ITP, PID),
/// each infusion (MedicationAdministration with its rate ramp), reactions (AdverseEvent) and
/// the measures of response before and after (grip strength, INCAT, IgG trough, platelets,
/// temperature). Decimals keep trailing zeros now and then, dates are sometimes partial, and
/// some resources carry extensions, as real feeds do. Every resource has a narrative (a written
/// summary now and then, else a short generated one), so the records pass `dom-6`.
///
/// ```swift
/// var samples = IVIGSampleGenerator(seed: 7)
/// let first100 = samples.next(100)
/// ```
public struct IVIGSampleGenerator: IteratorProtocol, Sequence, Sendable {
    private var rng: SplitMix64
    private let products: ProductTable
    private let faults: SampleFaultRate
    private var episodeIndex = 0
    private var pending: [AnyResource] = []
    private var pendingIndex = 0

    /// Creates a generator.
    /// - Parameters:
    ///   - seed: any value; equal seeds give equal records.
    ///   - products: the product table to order from (the package's `Mappings/products.json`
    ///     when not given).
    ///   - faults: the share of episodes that get one ``SampleFault``, tagged on the resource
    ///     it is in; none by default, so the records are meant to validate.
    public init(seed: UInt64, products: ProductTable = .package, faults: SampleFaultRate = .none) {
        rng = SplitMix64(seed: seed)
        self.products = products
        self.faults = faults
    }

    /// The next resource (the sequence never ends).
    public mutating func next() -> AnyResource? {
        if pendingIndex == pending.count {
            episodeIndex += 1
            var episode = SampleEpisode(index: episodeIndex, rng: rng.split(), products: products, faults: faults)
            pending = episode.resources()
            pendingIndex = 0
        }
        defer { pendingIndex += 1 }
        return pending[pendingIndex]
    }

    /// The next `count` resources.
    public mutating func next(_ count: Int) -> [AnyResource] {
        (0..<count).map { _ in next()! }
    }

    /// Where a resource lives on the sample server: `fullUrl` in Bundles, and the base its
    /// relative references (`Patient/ivig-pat-1`) resolve against.
    public static func fullURL(of resource: AnyResource) -> String {
        "https://ivig-fhir.example.org/fhir/\(resource.resourceType)/\(resource.resource.id?.value ?? "")"
    }
}

extension ProductTable {
    /// The package's own `Mappings/products.json` (see ``ProductTable/packagePath()``),
    /// read once; the samples cannot be made without it.
    public static let package: ProductTable = {
        let path = ProductTable.packagePath()
        do {
            return try ProductTable(contentsOf: path)
        } catch {
            preconditionFailure("IVIGSamples needs the product table: \(error)")
        }
    }()
}
