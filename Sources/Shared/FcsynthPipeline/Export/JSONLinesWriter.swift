import Foundation

/// Writes JSON lines through a large buffer, so that a fast formatter is not held back by one
/// system call per line. Call `flush()` when done: nothing is written on deinit, where a
/// failure could not be reported.
public final class JSONLinesWriter {
    private let handle: FileHandle
    private let capacity: Int
    private var buffer: [UInt8]
    public private(set) var linesWritten = 0

    public init(handle: FileHandle, bufferCapacity: Int = 1 << 20) {
        self.handle = handle
        self.capacity = max(bufferCapacity, 1)
        buffer = []
        buffer.reserveCapacity(capacity)
    }

    public static func standardOutput(bufferCapacity: Int = 1 << 20) -> JSONLinesWriter {
        JSONLinesWriter(handle: .standardOutput, bufferCapacity: bufferCapacity)
    }

    /// Appends `line` and a newline; `line` must hold no newline of its own.
    public func write(_ line: [UInt8]) throws {
        if buffer.count + line.count + 1 > capacity, !buffer.isEmpty {
            try flush()
        }
        buffer.append(contentsOf: line)
        buffer.append(UInt8(ascii: "\n"))
        linesWritten += 1
        if buffer.count >= capacity {
            try flush()
        }
    }

    public func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
