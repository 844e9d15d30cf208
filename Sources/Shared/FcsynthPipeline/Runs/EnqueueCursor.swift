/// Where enqueue stands in its input: rows consumed, the byte offset after them, and the
/// digest of the bytes before that offset, saved with each batch so that an interrupted
/// enqueue resumes exactly there, and only in the same file.
public struct EnqueueCursor: Sendable, Hashable {
    public var rows: Int
    public var offset: Int64
    /// Nil for a cursor stored before digests were kept: such a resume is not checked.
    package var digest: InputDigest?

    public init(rows: Int = 0, offset: Int64 = 0) {
        self.rows = rows
        self.offset = offset
    }

    package init(rows: Int, offset: Int64, digest: InputDigest?) {
        self.rows = rows
        self.offset = offset
        self.digest = digest
    }
}
