/// Finds the packages a run asks for and the packages they depend on: files and folders
/// given by path, `name#version` in the package cache other FHIR tools share
/// (`~/.fhir/packages/<name>#<version>/package/`, or under `$FHIR_PACKAGE_CACHE`), and base
/// R4, which the tool carries and never looks up.
public struct PackageResolver: Sendable {
    /// The package cache's root folder.
    public var cacheRoot: String?

    /// A resolver over the cache at `cacheRoot`, or, by default, `$FHIR_PACKAGE_CACHE` or
    /// `~/.fhir/packages`.
    public init(cacheRoot: String? = nil) {
        self.cacheRoot = cacheRoot ?? Self.defaultCacheRoot
    }

    /// `$FHIR_PACKAGE_CACHE`, else `$HOME/.fhir/packages`.
    public static var defaultCacheRoot: String? {
        if let root = FileSystem.environment("FHIR_PACKAGE_CACHE") { return root }
        return FileSystem.environment("HOME").map { $0 + "/.fhir/packages" }
    }

    /// Reads each reference (a `.tgz` file, a package folder, or `name#version`) and then,
    /// from the cache, every dependency not already given, base R4 excepted.
    /// - Returns: the packages, those given first in order, then dependencies.
    /// - Throws: ``FHIRPackageError`` naming a reference or dependency that cannot be found
    ///   or read, and the package that needs it.
    public func resolve(_ references: [String]) throws(FHIRPackageError) -> [FHIRPackage] {
        var packages: [FHIRPackage] = []
        for reference in references {
            if isBase(reference) { continue }
            packages.append(try load(reference))
        }
        var cursor = 0
        while cursor < packages.count {
            let package = packages[cursor]
            cursor += 1
            for dependency in package.manifest.dependencies
            where !FHIRDefinitions.isSatisfied(dependency, by: packages) {
                guard let folder = cacheFolder(dependency.name, version: dependency.version) else {
                    throw FHIRPackageError(
                        "package \(package.manifest.reference) (\(package.origin)) needs \(dependency), which is "
                            + "neither given with --package nor in the package cache "
                            + "(\(cacheRoot ?? "no cache: HOME is not set"))")
                }
                packages.append(try FHIRPackage(path: folder))
            }
        }
        return packages
    }

    /// True for a reference to base R4 (`hl7.fhir.r4.core#4.0.1`): it is carried, not loaded.
    private func isBase(_ reference: String) -> Bool {
        guard !FileSystem.exists(reference), let hash = reference.firstIndex(of: "#") else { return false }
        let name = String(reference[..<hash])
        let version = String(reference[reference.index(after: hash)...])
        return BaseR4.aliases.contains(name) && PackageVersion.matches(BaseR4.manifest.version, pattern: version)
    }

    /// A file or folder path, else `name#version` from the cache.
    private func load(_ reference: String) throws(FHIRPackageError) -> FHIRPackage {
        if FileSystem.exists(reference) { return try FHIRPackage(path: reference) }
        guard let hash = reference.firstIndex(of: "#") else {
            throw FHIRPackageError("package \(reference): no such file or folder (a cached package is name#version)")
        }
        let name = String(reference[..<hash])
        let version = String(reference[reference.index(after: hash)...])
        guard let folder = cacheFolder(name, version: version) else {
            throw FHIRPackageError(
                "package \(reference) is not in the package cache (\(cacheRoot ?? "no cache: HOME is not set"))")
        }
        return try FHIRPackage(path: folder)
    }

    /// The cache folder of `name#version`; for a wildcard version, the highest that matches.
    private func cacheFolder(_ name: String, version: String) -> String? {
        guard let root = cacheRoot else { return nil }
        let exact = "\(root)/\(name)#\(version)"
        if FileSystem.exists(exact + "/package/package.json") { return exact }
        guard let names = try? FileSystem.list(root) else { return nil }
        let matches = names.filter { folder in
            folder.hasPrefix(name + "#")
                && PackageVersion.matches(String(folder.dropFirst(name.count + 1)), pattern: version)
                && FileSystem.exists("\(root)/\(folder)/package/package.json")
        }
        return matches.max { PackageVersion.precedes($0.dropFirst(name.count + 1), $1.dropFirst(name.count + 1)) }
            .map { "\(root)/\($0)" }
    }
}

extension PackageVersion {
    /// Orders versions by their numeric parts (`3.1.10` after `3.1.9`).
    static func precedes(_ lhs: Substring, _ rhs: Substring) -> Bool {
        let left = lhs.split(separator: ".").map { Int($0) ?? -1 }
        let right = rhs.split(separator: ".").map { Int($0) ?? -1 }
        return left.lexicographicallyPrecedes(right)
    }
}
