/// Where enqueue stands in its input: rows consumed and the byte offset after them, saved
/// with each batch so that an interrupted enqueue resumes exactly there.
public struct EnqueueCursor: Sendable, Hashable {
    public var rows: Int
    public var offset: Int64

    public init(rows: Int = 0, offset: Int64 = 0) {
        self.rows = rows
        self.offset = offset
    }
}
