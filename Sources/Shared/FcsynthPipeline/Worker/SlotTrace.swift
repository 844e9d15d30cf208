import FcsynthCore
import Foundation
import Synchronization

/// An opt-in timeline of one worker's slots: when each claim went out and came back, when each
/// task took a slot, finished its stage and gave the slot back (its hand-off written), and when
/// each LLM call began and ended. `scripts/bench` reads it to tell where slot time goes (start,
/// hand-off, claim gaps, tail). A worker without one records nothing.
///
/// One line per event, written when the worker stops: `KIND NANOSECONDS [DETAIL]`, the time
/// from `CLOCK_MONOTONIC`, the clock every process on the host shares.
public final class SlotTrace: Sendable {
    package enum Kind: String, Sendable {
        /// A claim script call went out; the detail is how many tasks it asked for.
        case claimSent = "claim"
        /// It came back; the detail is how many it took.
        case claimReturned = "claimed"
        /// A task took a slot; the detail is its stage, and the step for a conversation turn.
        case taskStarted = "start"
        /// Its stage finished; the hand-off waits to be written.
        case taskProcessed = "done"
        /// The hand-off was written (or the task dropped): the slot is free.
        case taskEnded = "end"
        case callStarted = "call"
        case callEnded = "reply"
    }

    private struct Event {
        var kind: Kind
        var nanoseconds: UInt64
        var detail: String
    }

    public let path: String
    private let events = Mutex<[Event]>([])

    public init(path: String) {
        self.path = path
    }

    package func record(_ kind: Kind, _ detail: String = "") {
        let now = Self.now()
        events.withLock { $0.append(Event(kind: kind, nanoseconds: now, detail: detail)) }
    }

    /// Writes every event recorded so far, replacing the file.
    public func write() throws {
        let lines = events.withLock { events in
            events.map { event in
                event.detail.isEmpty
                    ? "\(event.kind.rawValue) \(event.nanoseconds)\n"
                    : "\(event.kind.rawValue) \(event.nanoseconds) \(event.detail)\n"
            }
        }
        try Data(lines.joined().utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    private static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }
}
