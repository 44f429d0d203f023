internal import FHIRGzip
internal import FHIRJSON

/// What `package/package.json` says about a package.
public struct PackageManifest: Sendable, Equatable {
    /// A package another one needs (`dependencies` in `package.json`).
    public struct Dependency: Sendable, Equatable, CustomStringConvertible {
        public var name: String
        /// An exact version (`4.0.1`) or a pattern (`3.1.x`).
        public var version: String

        public init(name: String, version: String) {
            self.name = name
            self.version = version
        }

        public var description: String { "\(name)#\(version)" }
    }

    public var name: String
    public var version: String
    public var dependencies: [Dependency]
    /// The FHIR versions it is for (`fhirVersions` or `fhir-version-list`).
    public var fhirVersions: [String]

    public init(name: String, version: String, dependencies: [Dependency] = [], fhirVersions: [String] = []) {
        self.name = name
        self.version = version
        self.dependencies = dependencies
        self.fhirVersions = fhirVersions
    }

    /// `name#version`, as the package cache names its folders.
    public var reference: String { "\(name)#\(version)" }

    /// Reads `package.json`.
    /// - Throws: ``FHIRPackageError`` when it is not JSON or lacks a name or version.
    init(json bytes: [UInt8], origin: String) throws(FHIRPackageError) {
        let tree: JSONTree
        do {
            tree = try JSONTree.parse(bytes)
        } catch {
            throw FHIRPackageError("\(origin): package.json is not valid JSON: \(error)")
        }
        guard case .object = tree else { throw FHIRPackageError("\(origin): package.json is not a JSON object") }
        guard let name = tree["name"]?.stringValue, !name.isEmpty else {
            throw FHIRPackageError("\(origin): package.json has no \"name\"")
        }
        guard let version = tree["version"]?.stringValue, !version.isEmpty else {
            throw FHIRPackageError("\(origin): package.json has no \"version\"")
        }
        var dependencies: [Dependency] = []
        for (dependency, value) in tree["dependencies"]?.objectMembers ?? [:] {
            guard let version = value.stringValue else {
                throw FHIRPackageError("\(origin): package.json gives dependency \(dependency) no version string")
            }
            dependencies.append(Dependency(name: dependency, version: version))
        }
        dependencies.sort { $0.name < $1.name }
        let versions = (tree["fhirVersions"] ?? tree["fhir-version-list"])?.arrayValue.compactMap(\.stringValue) ?? []
        self.init(name: name, version: version, dependencies: dependencies, fhirVersions: versions)
    }
}

/// A FHIR package: its manifest and the conformance resources in it (StructureDefinitions,
/// ValueSets, CodeSystems), read from a registry `.tgz`, an unpacked folder or the package
/// cache (`~/.fhir/packages/<name>#<version>/package/`).
///
/// Only the files directly in `package/` are read (examples and other folders are not
/// definitions). Each resource is kept as its JSON bytes and parsed when first asked for.
public struct FHIRPackage: Sendable {
    /// `package.json`.
    public var manifest: PackageManifest
    /// Where it was read from (a file or folder path).
    public var origin: String
    /// Its StructureDefinitions, ValueSets and CodeSystems.
    package var resources: [CanonicalResource]

    /// The most bytes a `.tgz` may expand to.
    public static let maxUnpackedBytes = 512 << 20

    /// Reads a package from a gzip'd tar as the registry ships it.
    /// - Parameters:
    ///   - bytes: the `.tgz` file's bytes.
    ///   - origin: the file name, for messages.
    /// - Throws: ``FHIRPackageError``: corrupt or truncated archive, unsafe entry path, no
    ///   `package/package.json`, or a definition that is not valid JSON.
    public init(tarball bytes: [UInt8], origin: String) throws(FHIRPackageError) {
        guard Gzip.hasMagic(bytes) else { throw FHIRPackageError("\(origin): not a gzip'd tar (.tgz) file") }
        let tar: [UInt8]
        do {
            tar = try Gzip.decompress(bytes, maxOutputBytes: Self.maxUnpackedBytes)
        } catch {
            throw FHIRPackageError("\(origin): \(error)")
        }
        let archive: TarArchive
        do {
            archive = try TarArchive(tar, limits: TarArchive.Limits(maxTotalBytes: Self.maxUnpackedBytes))
        } catch {
            throw FHIRPackageError("\(origin): \(error.message)")
        }
        var manifestBytes: [UInt8]?
        var files: [(name: String, bytes: [UInt8])] = []
        for entry in archive.entries {
            guard entry.path.hasPrefix("package/") else { continue }
            let name = String(entry.path.dropFirst("package/".count))
            if name == "package.json" {
                manifestBytes = entry.bytes
            } else if !name.contains("/") {
                files.append((name, entry.bytes))
            }
        }
        guard let manifestBytes else { throw FHIRPackageError("\(origin): has no package/package.json") }
        try self.init(manifest: PackageManifest(json: manifestBytes, origin: origin), origin: origin, files: files)
    }

    /// Reads a package from a `.tgz` file or an unpacked folder (the folder holding
    /// `package/`, or the `package` folder itself).
    /// - Throws: ``FHIRPackageError`` when the path is neither, or the package cannot be read.
    public init(path: String) throws(FHIRPackageError) {
        var isDirectory = false
        guard FileSystem.exists(path, isDirectory: &isDirectory) else {
            throw FHIRPackageError("\(path): no such file or folder")
        }
        if !isDirectory {
            try self.init(tarball: try FileSystem.read(path), origin: path)
            return
        }
        let folder = FileSystem.exists(path + "/package/package.json") ? path + "/package" : path
        let manifestPath = folder + "/package.json"
        guard FileSystem.exists(manifestPath) else {
            throw FHIRPackageError("\(path): a package folder needs package/package.json")
        }
        var files: [(name: String, bytes: [UInt8])] = []
        for name in try FileSystem.list(folder).sorted() where name.hasSuffix(".json") && name != "package.json" {
            var isFolder = false
            guard FileSystem.exists(folder + "/" + name, isDirectory: &isFolder), !isFolder else { continue }
            files.append((name, try FileSystem.read(folder + "/" + name)))
        }
        try self.init(
            manifest: PackageManifest(json: try FileSystem.read(manifestPath), origin: manifestPath), origin: path,
            files: files)
    }

    private init(manifest: PackageManifest, origin: String, files: [(name: String, bytes: [UInt8])])
        throws(FHIRPackageError)
    {
        self.manifest = manifest
        self.origin = origin
        resources = []
        for (name, bytes) in files where name.hasSuffix(".json") && !name.hasPrefix(".") {
            if let resource = try CanonicalResource(bytes: bytes, file: "\(origin): package/\(name)") {
                resources.append(resource)
            }
        }
    }

    /// The StructureDefinitions, ValueSets and CodeSystems in the package, by resource type
    /// and canonical URL.
    public var canonicalURLs: [(resourceType: String, url: String)] {
        resources.map { ($0.resourceType.rawValue, $0.url) }
    }
}

extension FHIRPackage {
    /// Each definition's resource type, URL and JSON, for `BaseDefinitionsGenerator`.
    package var canonicalResourcesForGeneration: [(resourceType: String, url: String, bytes: [UInt8])] {
        resources.compactMap { resource in
            guard case .bytes(let bytes, _) = resource.source else { return nil }
            return (resource.resourceType.rawValue, resource.url, bytes)
        }
    }
}
