@testable import FcsynthSystem

/// An `fcsynth-worker` a test started, with the id its in-flight hashes are named by.
struct WorkerProcess: Sendable {
    let id: String
    let process: ChildProcess
}
