import Foundation

/// Where an export writes: a file, whose bytes are synced to disk at every checkpoint, or
/// standard output, which is flushed.
struct ExportSink {
    let handle: FileHandle
    let isFile: Bool
    let writer: JSONLinesWriter

    init(handle: FileHandle, isFile: Bool) {
        self.handle = handle
        self.isFile = isFile
        writer = JSONLinesWriter(handle: handle)
    }

    /// Flushes the buffered lines, and syncs a file; returns the bytes written so far (0 for
    /// standard output).
    func sync() throws -> UInt64 {
        try writer.flush()
        guard isFile else { return 0 }
        try handle.synchronize()
        return try handle.offset()
    }
}
