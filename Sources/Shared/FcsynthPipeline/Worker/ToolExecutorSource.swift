import FcsynthCore
import Synchronization

/// The worker's tool executors, one per URL the runs it serves name, made on first use and
/// kept, so that calls to one sandbox share its connections.
public final class ToolExecutorSource: Sendable {
    private let make: @Sendable (String) -> (any ToolExecutor)?
    private let made = Mutex<[String: any ToolExecutor]>([:])

    /// `make` gives the executor for a URL, or nil when this worker cannot reach it.
    public init(make: @escaping @Sendable (String) -> (any ToolExecutor)?) {
        self.make = make
    }

    public func executor(for url: String) -> (any ToolExecutor)? {
        if let known = made.withLock({ $0[url] }) { return known }
        guard let executor = make(url) else { return nil }
        return made.withLock { made in
            if let known = made[url] { return known }
            made[url] = executor
            return executor
        }
    }
}
