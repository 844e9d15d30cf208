/// A min-heap of deadlines, so that the loop sleeps exactly until the next answer is due.
package struct SimulatorTimerHeap {
    package struct Timer {
        /// Monotonic nanoseconds.
        package let deadline: UInt64
        package let connection: UInt64
        package let exchange: UInt64
    }

    private var timers: [Timer] = []

    package var isEmpty: Bool { timers.isEmpty }

    package mutating func push(_ timer: Timer) {
        timers.append(timer)
        var child = timers.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard timers[child].deadline < timers[parent].deadline else { break }
            timers.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest timer if it is due at `now`.
    package mutating func popDue(now: UInt64) -> Timer? {
        guard let first = timers.first, first.deadline <= now else { return nil }
        let last = timers.removeLast()
        guard !timers.isEmpty else { return first }
        timers[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < timers.count, timers[left].deadline < timers[smallest].deadline { smallest = left }
            if right < timers.count, timers[right].deadline < timers[smallest].deadline { smallest = right }
            guard smallest != parent else { break }
            timers.swapAt(parent, smallest)
            parent = smallest
        }
        return first
    }

    /// The `epoll_wait` timeout in milliseconds: -1 with no timers, rounded up so as never to wake early.
    package func timeoutMilliseconds(now: UInt64) -> Int32 {
        guard let first = timers.first else { return -1 }
        guard first.deadline > now else { return 0 }
        return Int32(min((first.deadline - now + 999_999) / 1_000_000, UInt64(Int32.max)))
    }
}
