import Synchronization

/// The SHA1 each script loaded under, per client: a server that restarted or ran
/// SCRIPT FLUSH answers NOSCRIPT, and the script is loaded again.
package final class ScriptHashCache: Sendable {
    private let hashes = Mutex<[String: String]>([:])

    package func value(for name: String) -> String? {
        hashes.withLock { $0[name] }
    }

    package func set(_ sha: String, for name: String) {
        hashes.withLock { $0[name] = sha }
    }
}
