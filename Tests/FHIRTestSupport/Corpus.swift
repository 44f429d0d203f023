public import Foundation

/// Where the shared reference corpus lives, relative to the package root (`../shared/corpus`).
///
/// Tests read the official FHIR and UCUM files by path; they are never copied into the repository.
public enum SharedCorpus {
    /// The package root: two levels above this file's `Tests/FHIRTestSupport` folder.
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/corpus`, or `nil` when it is absent (tests then skip with a message).
    public static var root: URL? {
        let url = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// A folder or file inside the corpus, or `nil` when the corpus is absent.
    public static func url(_ relativePath: String) -> URL? {
        root?.appendingPathComponent(relativePath)
    }

    /// The message a test prints when it skips for want of the corpus.
    public static let absentMessage = "skipped: ../shared/corpus is absent (clone the repository beside shared/)"
}
