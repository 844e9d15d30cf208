/// One row as read from the file, before validation.
package struct InputRecord {
    /// The row's number: its line in a JSON Lines file, its element index in a JSON array.
    package var number: Int
    /// Where the row starts in the file, for messages about JSON array elements.
    package var line: Int
    package var bytes: [UInt8]
    /// Set when the row was longer than the limit; `bytes` is then empty.
    package var oversize: Int?
    /// Bytes of the file consumed once this row is done: where a resumed enqueue seeks to.
    package var endOffset: Int64
    /// Of the file's bytes up to `endOffset`: what the resume cursor stores after this row.
    package var digest: InputDigest
}
