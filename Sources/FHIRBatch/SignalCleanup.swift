#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// Removes the temporary files of unfinished outputs when the process is asked to stop
/// (SIGINT from Ctrl-C, SIGTERM from a job scheduler, SIGHUP from a closed terminal), then lets
/// the signal end the process as it would have (the exit status still says "killed by signal").
///
/// Also ignores SIGPIPE, so a closed standard output becomes a write error (exit 74, temporary
/// files removed) rather than a silent death.
public enum SignalCleanup {
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    /// Installs the handlers; call once, early, from the command-line tool.
    public static func install() {
        signal(SIGPIPE, SIG_IGN)
        for number in [SIGINT, SIGTERM, SIGHUP] {
            // The default action must not run before the handler has cleaned up.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                TemporaryFiles.shared.removeAll()
                // Dispatch's threads block signals, so `raise` here would stay pending: send the
                // signal to the process, whose other threads take it with the default action.
                signal(number, SIG_DFL)
                kill(getpid(), number)
                usleep(200_000)
                _exit(128 + number)
            }
            source.resume()
            sources.append(source)
        }
    }
}
