import FHIRGzip
import FHIRPackages
import FHIRTestSupport
import Foundation
import Testing

/// Reading packages: registry tarballs, folders, the cache, dependencies, and what is refused.
@Suite struct PackageLoadingTests {
    static let manifest = #"{"name":"example.fhir.test","version":"1.0.0","dependencies":{"hl7.fhir.r4.core":"4.0.1"}}"#

    /// A ustar archive of the given files, gzip'd, as a registry serves a package.
    static func tarball(_ files: [(path: String, text: String)], type: UInt8 = UInt8(ascii: "0")) -> [UInt8] {
        var tar: [UInt8] = []
        for (path, text) in files {
            let data = Array(text.utf8)
            var header = [UInt8](repeating: 0, count: 512)
            func put(_ string: String, at offset: Int) {
                for (index, byte) in string.utf8.enumerated() { header[offset + index] = byte }
            }
            put(path, at: 0)
            put("0000644", at: 100)
            put("0000000", at: 108)
            put("0000000", at: 116)
            let size = String(data.count, radix: 8)
            put(String(repeating: "0", count: 11 - size.count) + size, at: 124)
            put("00000000000", at: 136)
            header[156] = type
            put("ustar", at: 257)
            put("00", at: 263)
            for index in 148..<156 { header[index] = 32 }
            let sum = String(header.reduce(0) { $0 + Int($1) }, radix: 8)
            put(String(repeating: "0", count: 6 - sum.count) + sum, at: 148)
            header[154] = 0
            tar += header + data + [UInt8](repeating: 0, count: (512 - data.count % 512) % 512)
        }
        tar += [UInt8](repeating: 0, count: 1024)
        return Gzip.compress(tar)
    }

    static let profile = #"""
        {"resourceType":"StructureDefinition","url":"http://example.org/StructureDefinition/p","name":"P",
         "type":"Patient","kind":"resource","abstract":false,"derivation":"constraint",
         "baseDefinition":"http://hl7.org/fhir/StructureDefinition/Patient",
         "snapshot":{"element":[{"id":"Patient","path":"Patient","min":0,"max":"*"},
           {"id":"Patient.gender","path":"Patient.gender","min":1,"max":"1","type":[{"code":"code"}],
            "mustSupport":true,"binding":{"strength":"required",
            "valueSet":"http://hl7.org/fhir/ValueSet/administrative-gender|4.0.1"}}]}}
        """#

    @Test func aTarballWithAProfile() throws {
        let bytes = Self.tarball([
            ("package/package.json", Self.manifest), ("package/StructureDefinition-p.json", Self.profile),
            ("package/example/Patient-x.json", #"{"resourceType":"Patient"}"#),
        ])
        let package = try FHIRPackage(tarball: bytes, origin: "test.tgz")
        #expect(package.manifest.reference == "example.fhir.test#1.0.0")
        #expect(package.manifest.dependencies == [.init(name: "hl7.fhir.r4.core", version: "4.0.1")])
        #expect(package.canonicalURLs.map(\.url) == ["http://example.org/StructureDefinition/p"])
        let definitions = try FHIRDefinitions(packages: [package])
        let profile = try #require(definitions.structureDefinition(url: "http://example.org/StructureDefinition/p"))
        #expect(profile.isProfile)
        #expect(profile.elements.last?.min == 1 && profile.elements.last?.mustSupport == true)
        #expect(definitions.layout(ofType: "Patient") != nil)
        #expect(definitions.packages.map(\.name) == ["hl7.fhir.r4.core", "example.fhir.test"])
    }

    @Test func refusedArchives() throws {
        let good = Self.tarball([("package/package.json", Self.manifest)])
        #expect(throws: FHIRPackageError.self) {
            try FHIRPackage(tarball: Array(good.prefix(good.count / 2)), origin: "t")
        }
        var corrupt = good
        corrupt[corrupt.count / 2] ^= 0xFF
        #expect(throws: FHIRPackageError.self) { try FHIRPackage(tarball: corrupt, origin: "t") }
        #expect(throws: FHIRPackageError.self) { try FHIRPackage(tarball: Array("not gzip".utf8), origin: "t") }

        func message(_ bytes: [UInt8]) -> String {
            do {
                _ = try FHIRPackage(tarball: bytes, origin: "t.tgz")
                return "no error"
            } catch { return error.message }
        }
        let escaping = message(
            Self.tarball([("package/../../etc/passwd", "x"), ("package/package.json", Self.manifest)]))
        #expect(escaping.contains("escapes the archive with '..'"), "\(escaping)")
        #expect(message(Self.tarball([("/package/package.json", Self.manifest)])).contains("absolute"))
        let link = message(Self.tarball([("package/package.json", "")], type: UInt8(ascii: "2")))
        #expect(link.contains("symbolic link"), "\(link)")
        #expect(message(Self.tarball([("package/x.json", "{}")])).contains("has no package/package.json"))
        let notJSON = message(Self.tarball([("package/package.json", "name: x")]))
        #expect(notJSON.contains("package.json is not valid JSON"), "\(notJSON)")
        let noVersion = message(Self.tarball([("package/package.json", #"{"name":"x"}"#)]))
        #expect(noVersion.contains("no \"version\""))
        let badDefinition = message(Self.tarball([("package/package.json", Self.manifest), ("package/SD.json", "{")]))
        #expect(badDefinition.contains("package/SD.json: not valid JSON"), "\(badDefinition)")
        let noKind = message(
            Self.tarball([
                ("package/package.json", Self.manifest),
                ("package/SD.json", #"{"resourceType":"StructureDefinition","url":"http://x/y","type":"Patient"}"#),
            ]))
        #expect(noKind.contains("StructureDefinition http://x/y has no kind"), "\(noKind)")
    }

    @Test func aMissingDependencyIsNamed() throws {
        let manifest = #"{"name":"needy","version":"2.0.0","dependencies":{"hl7.fhir.us.core":"3.1.0"}}"#
        let package = try FHIRPackage(tarball: Self.tarball([("package/package.json", manifest)]), origin: "needy.tgz")
        let error = #expect(throws: FHIRPackageError.self) { try FHIRDefinitions(packages: [package]) }
        #expect(error?.message.contains("needs hl7.fhir.us.core#3.1.0") == true, "\(error?.message ?? "")")
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("fhir-cache-\(getpid())-empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let folder = empty.appendingPathComponent("needy")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("package"), withIntermediateDirectories: true)
        try Data(manifest.utf8).write(to: folder.appendingPathComponent("package/package.json"))
        let resolveError = #expect(throws: FHIRPackageError.self) {
            try PackageResolver(cacheRoot: empty.path).resolve([folder.path])
        }
        #expect(resolveError?.message.contains("needs hl7.fhir.us.core#3.1.0") == true)
        #expect(throws: FHIRPackageError.self) { try PackageResolver(cacheRoot: empty.path).resolve(["nothing#1.0"]) }
    }

    /// US Core 3.1.0 from its registry tarball, its core dependency met by the carried base;
    /// then the same package from a folder in a package cache, by `name#version`.
    @Test func usCoreFromTheTarballAndFromTheCache() throws {
        guard let tarball = SharedCorpus.url("packages/hl7.fhir.us.core-3.1.0.tgz") else {
            print(SharedCorpus.absentMessage)
            return
        }
        let packages = try PackageResolver(cacheRoot: "/nonexistent").resolve([tarball.path, "hl7.fhir.r4.core#4.0.1"])
        #expect(packages.map(\.manifest.reference) == ["hl7.fhir.us.core#3.1.0"])
        let definitions = try FHIRDefinitions(packages: packages)
        let patientURL = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient"
        let patient = try #require(definitions.structureDefinition(url: patientURL))
        #expect(patient.type == "Patient" && patient.isProfile)
        #expect(patient.baseDefinition == "http://hl7.org/fhir/StructureDefinition/Patient")
        let race = try #require(patient.element(id: "Patient.extension:race"))
        #expect(race.sliceName == "race")
        #expect(race.types.first?.profiles == ["http://hl7.org/fhir/us/core/StructureDefinition/us-core-race"])
        let identifier = try #require(patient.element(id: "Patient.identifier"))
        #expect(identifier.min == 1 && identifier.mustSupport)
        let extensions = try #require(patient.element(id: "Patient.extension"))
        #expect(extensions.slicing?.discriminators == [.init(type: "value", path: "url")])
        #expect(extensions.slicing?.rules == .open)
        #expect(definitions.profiles(onType: "Observation").count > 16)
        #expect(definitions.structureDefinition(url: "http://hl7.org/fhir/StructureDefinition/vitalsigns") != nil)

        // The same package unpacked in a cache folder named name#version.
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("fhir-cache-\(getpid())")
        defer { try? FileManager.default.removeItem(at: cache) }
        let folder = cache.appendingPathComponent("hl7.fhir.us.core#3.1.0")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let untar = Process()
        untar.executableURL = URL(fileURLWithPath: "/usr/bin/tar")
        untar.arguments = ["-xzf", tarball.path, "-C", folder.path]
        try untar.run()
        untar.waitUntilExit()
        #expect(untar.terminationStatus == 0)
        let cached = try PackageResolver(cacheRoot: cache.path).resolve(["hl7.fhir.us.core#3.1.0"])
        #expect(cached.map(\.manifest.reference) == ["hl7.fhir.us.core#3.1.0"])
        #expect(cached.first?.canonicalURLs.count == packages.first?.canonicalURLs.count)
        let wildcard = try PackageResolver(cacheRoot: cache.path).resolve(["hl7.fhir.us.core#3.1.x"])
        #expect(wildcard.count == 1)
    }
}
