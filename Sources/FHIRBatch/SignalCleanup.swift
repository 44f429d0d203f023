import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

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
                // End the process by the same signal, so the parent sees "killed by SIGTERM".
                // Dispatch's threads block signals: unblock it on this one, then raise it here.
                signal(number, SIG_DFL)
                var set = sigset_t()
                sigemptyset(&set)
                sigaddset(&set, number)
                pthread_sigmask(SIG_UNBLOCK, &set, nil)
                raise(number)
                _exit(128 + number)  // not reached
            }
            source.resume()
            sources.append(source)
        }
    }
}
