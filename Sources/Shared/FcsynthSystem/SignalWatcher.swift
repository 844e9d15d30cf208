import Dispatch
import Foundation

/// Turns SIGTERM and SIGINT into a call, so that a process can drain instead of dying.
/// Also ignores SIGPIPE: a write to a closed socket must be an error, not a silent exit.
// The sources are set once in init and only cancelled in deinit.
public final class SignalWatcher: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]

    public init(signals: [Int32] = [SIGTERM, SIGINT], handler: @escaping @Sendable (Int32) -> Void) {
        signal(SIGPIPE, SIG_IGN)
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { handler(number) }
            source.resume()
            return source
        }
    }

    public static func ignoreSIGPIPE() {
        signal(SIGPIPE, SIG_IGN)
    }

    deinit {
        for source in sources { source.cancel() }
    }
}
