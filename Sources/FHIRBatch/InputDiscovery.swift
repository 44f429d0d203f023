import Foundation

/// Turns the command line's input arguments into the ordered list of inputs.
///
/// - No argument, or `-`, is standard input (at most once).
/// - A file is read whatever its name; its format is detected from the content.
/// - A directory is walked recursively in a stable order (names compared byte by byte, so the
///   same tree always gives the same order on every machine). Inside directories only files
///   named `*.json`, `*.ndjson`, `*.jsonl` and `*.xml` are read (any case), gzip'd or not
///   (`*.ndjson.gz`); other files and
///   hidden entries (names starting with `.`) are skipped, and symbolic links to directories are
///   not followed (no cycles). A named pipe, socket or device found there is not opened (it
///   could block the run forever) and a dangling symbolic link is not silently dropped: each is
///   passed over with a warning.
/// - A directory holding a Bulk Data `manifest.json` is an export: its `output` files are read,
///   in the manifest's order (the `error` files, OperationOutcomes, are not records to convert).
public enum InputDiscovery {
    /// The extensions read when walking a directory.
    public static let directoryExtensions: Set<String> = ["json", "ndjson", "jsonl", "xml"]

    /// What discovery found.
    public struct Result: Sendable {
        /// The inputs, in the order they are converted.
        public var inputs: [BatchInput]
        /// Files inside directories that were skipped for their extension.
        public var skipped: [String]
        /// Entries of directories passed over with a reason (`path: warning: …`).
        public var warnings: [String] = []
    }

    /// Lists the inputs named by `arguments`.
    /// - Throws: ``BatchError`` `.io` for a path that does not exist or a directory that cannot be
    ///   listed; `.usage` for standard input named twice.
    public static func discover(_ arguments: [String]) throws(BatchError) -> Result {
        var result = Result(inputs: [], skipped: [])
        if arguments.isEmpty { return Result(inputs: [.standardInput], skipped: []) }
        var sawStandardInput = false
        for argument in arguments {
            if argument == "-" {
                guard !sawStandardInput else { throw .usage("standard input ('-') can be named only once") }
                sawStandardInput = true
                result.inputs.append(.standardInput)
                continue
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) else {
                throw BatchError(.io, "\(argument): error: the input does not exist")
            }
            if isDirectory.boolValue, let files = try exportFiles(in: argument) {
                for file in files {
                    result.inputs.append(BatchInput(location: .file(path: join(argument, file)),
                                                    displayName: join(argument, file), outputStem: stem(of: file)))
                }
            } else if isDirectory.boolValue {
                try walk(directory: argument, relative: "", into: &result)
            } else {
                let name = argument.split(separator: "/").last.map(String.init) ?? argument
                result.inputs.append(BatchInput(location: .file(path: argument), displayName: argument,
                                                outputStem: stem(of: name)))
            }
        }
        return result
    }

    private static func walk(directory root: String, relative: String, into result: inout Result) throws(BatchError) {
        let folder = relative.isEmpty ? root : join(root, relative)
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            throw BatchError(.io, "\(folder): error: the directory cannot be listed")
        }
        for name in names.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) where !name.hasPrefix(".") {
            let path = join(folder, name)
            let child = relative.isEmpty ? name : relative + "/" + name
            let type = (try? FileManager.default.attributesOfItem(atPath: path)[.type]) as? FileAttributeType
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                if type == .typeSymbolicLink {
                    result.warnings.append("\(path): warning: a symbolic link to nothing (its target does not exist); skipped")
                }
                continue
            }
            let target = type == .typeSymbolicLink
                ? (try? FileManager.default.attributesOfItem(atPath: path.resolvingLink)[.type]) as? FileAttributeType : type
            if !isDirectory.boolValue, let target, target != .typeRegular {
                result.warnings.append("\(path): warning: not a regular file (\(Self.describe(target))); skipped")
                continue
            }
            if isDirectory.boolValue {
                if type == .typeSymbolicLink { continue }
                try walk(directory: root, relative: child, into: &result)
            } else if case let plainName = BatchInput.droppingGzipSuffix(name), let dot = plainName.lastIndex(of: "."),
                      directoryExtensions.contains(plainName[plainName.index(after: dot)...].lowercased()) {
                result.inputs.append(BatchInput(location: .file(path: path), displayName: path, outputStem: stem(of: child)))
            } else {
                result.skipped.append(path)
            }
        }
    }

    private static func describe(_ type: FileAttributeType) -> String {
        switch type {
        case .typeCharacterSpecial, .typeBlockSpecial: "a device"
        case .typeSocket: "a socket"
        default: "a named pipe"
        }
    }

    /// The files a Bulk Data export folder's manifest lists in `output`, relative to the folder
    /// (an absolute `url`, as servers write, is taken to be saved under its last path component);
    /// nil when the folder has no manifest.
    /// - Throws: ``BatchError`` `.io` for a manifest that cannot be read or names a missing file.
    private static func exportFiles(in folder: String) throws(BatchError) -> [String]? {
        let path = join(folder, "manifest.json")
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path),
              let manifest = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let output = manifest["output"] as? [[String: Any]]
        else {
            throw BatchError(.io, "\(path): error: not a Bulk Data manifest (a JSON object with an 'output' list)")
        }
        var files: [String] = []
        for (index, entry) in output.enumerated() {
            guard let url = entry["url"] as? String, !url.isEmpty else {
                throw BatchError(.io, "\(path): error: output[\(index)] has no 'url'")
            }
            let file = url.contains("://") ? String(url.split(separator: "/").last ?? "") : url
            guard FileManager.default.fileExists(atPath: join(folder, file)) else {
                throw BatchError(.io, "\(path): error: output[\(index)] names '\(file)', which is not in the folder")
            }
            files.append(file)
        }
        return files
    }

    private static func join(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }

    /// `a/b.ndjson` (or `a/b.ndjson.gz`) → `a/b`; a name without extension (or a dotfile) stays
    /// as it is.
    static func stem(of fullPath: String) -> String {
        let path = BatchInput.droppingGzipSuffix(fullPath)
        let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        guard let dot = path[slash...].lastIndex(of: "."), dot != slash else { return path }
        return String(path[..<dot])
    }
}

private extension String {
    /// The path a symbolic link leads to, through every link on the way.
    var resolvingLink: String { URL(fileURLWithPath: self).resolvingSymlinksInPath().path }
}
