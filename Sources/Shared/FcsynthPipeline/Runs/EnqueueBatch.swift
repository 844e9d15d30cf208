import FcsynthCore

/// The rows read since the cursor Redis holds, to go in together: the valid ones, and the bad
/// ones, whose messages wait until the batch is taken, so that a batch another enqueue took
/// first is neither reported nor counted twice.
struct EnqueueBatch {
    private(set) var rows: [EnqueueRow] = []
    private(set) var rejected: [(row: Int, rejection: RowRejection)] = []
    /// Where each valid row starts, for messages about repeats.
    private var lines: [Int: Int] = [:]

    mutating func add(_ row: EnqueueRow, startingOnLine line: Int) {
        rows.append(row)
        lines[row.line] = line
    }

    mutating func reject(_ rejection: RowRejection, row: Int) {
        rejected.append((row, rejection))
    }

    /// Forgets the rows up to `row`: another enqueue of the same input took them.
    mutating func drop(through row: Int) {
        rows.removeAll { $0.line <= row }
        rejected.removeAll { $0.row <= row }
    }

    /// The batch's messages in row order once Redis took it: its bad rows, and the rows Redis
    /// found repeating an earlier one (row number, and the row it repeats).
    func rejections(
        adding duplicates: [(line: Int, original: Int)], layout: InputRecordReader.Layout, key: String
    ) -> [RowRejection] {
        let repeats = duplicates.map { duplicate in
            let original = layout == .jsonArray ? "element \(duplicate.original)" : "line \(duplicate.original)"
            let rejection = RowRejection(
                line: lines[duplicate.line] ?? duplicate.line, element: layout == .jsonArray ? duplicate.line : nil,
                reason: "repeats \(original) (the same \"\(key)\"); skipped", isRepeat: true)
            return (row: duplicate.line, rejection: rejection)
        }
        return (rejected + repeats).sorted { $0.row < $1.row }.map(\.rejection)
    }
}
