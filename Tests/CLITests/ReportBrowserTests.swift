import FHIRTestSupport
import Foundation
import Testing

/// The HTML report in a real browser: headless Chromium (Debian's `chromium`) loads each page;
/// the page's own script counts every chart's points against the number it should hold and
/// records any script error, and writes the result into `<body data-check>`.
@Suite struct ReportBrowserTests {
    static let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// The DOM Chromium ends with, and what it wrote to standard error.
    private func load(_ page: URL) throws -> (dom: String, log: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.chromium!)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
                             "--user-data-dir=\(FileManager.default.temporaryDirectory.path)/chromium-\(UUID().uuidString)",
                             "--dump-dom", page.absoluteString]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let dom = output.fileHandleForReading.readDataToEndOfFile()
        let log = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (String(decoding: dom, as: UTF8.self), String(decoding: log, as: UTF8.self))
    }

    @Test(.enabled(if: chromium != nil, "chromium is not installed (apt-get install chromium): the browser test is skipped"),
          arguments: ReportStories.names)
    func eachExampleReportLoadsWithItsCharts(story: String) throws {
        let input = try #require(ReportStories.files[story])
        let page = input.deletingPathExtension().appendingPathExtension("html")
        let result = try CLIRunner.run(["report", "--format", "html", "--output", page.path, input.path])
        #expect(result.exitCode == 0, "\(result.standardError)")
        let html = try String(contentsOf: page, encoding: .utf8)
        // Self-contained: nothing is fetched.
        #expect(!html.contains("src=\"http") && !html.contains("href=\"http") && !html.contains("@import"))
        #expect(html.contains("@media print"))
        let (dom, log) = try load(page)
        let check = dom.range(of: #"data-check="[^"]*""#, options: .regularExpression).map { String(dom[$0]) }
        #expect(check?.hasPrefix("data-check=\"ok ") == true, "\(check ?? "no data-check") \(log.suffix(500))")
        #expect(!(check?.hasPrefix("data-check=\"ok 0 charts") ?? true), "every story has a measure to chart")
        let consoleErrors = log.split(separator: "\n").filter { $0.contains("CONSOLE") && $0.contains("rror") }
        #expect(consoleErrors.isEmpty, "\(consoleErrors)")
    }
}
