import Foundation

/// Draws the estimate's sample from an input file, as enqueue would read it (JSON Lines or a
/// JSON array, gzipped or not): a first pass counts the valid rows, a second copies the rows
/// the `SamplePlan` picks, byte for byte, into one JSON array per batch.
package struct InputSampler {
    package let path: String
    package let inputKey: String
    package let maxRowBytes: Int

    package init(path: String, inputKey: String, maxRowBytes: Int) {
        self.path = path
        self.inputKey = inputKey
        self.maxRowBytes = maxRowBytes
    }

    /// The file's valid rows, and the rows enqueue would reject, with the first of those.
    package func count() throws(InputError) -> (valid: Int, rejected: Int, firstRejection: RowRejection?) {
        var valid = 0
        var rejected = 0
        var first: RowRejection?
        try forEachRow { result, _ in
            switch result {
            case .success: valid += 1
            case .failure(let rejection):
                rejected += 1
                if first == nil { first = rejection }
            }
        }
        return (valid, rejected, first)
    }

    /// The picked rows of each batch, as a JSON array: `plan.batches` of them. Held in memory
    /// (at most `plan.size` rows), so that nothing is written before the whole file was read.
    package func draw(_ plan: SamplePlan) throws(InputError) -> [Data] {
        var batches = [[UInt8]](repeating: [], count: plan.batches)
        var pick = 0
        var ordinal = 0
        try forEachRow { result, bytes in
            guard case .success = result else { return }
            defer { ordinal += 1 }
            guard pick < plan.size, ordinal == plan.ordinal(ofPick: pick) else { return }
            let batch = plan.batch(ofPick: pick)
            batches[batch] += Array((batches[batch].isEmpty ? "[" : ",\n").utf8) + bytes
            pick += 1
        }
        // A batch left empty (the file shrank since it was counted) is an empty array.
        return batches.map { Data(($0.isEmpty ? Array("[".utf8) : $0) + Array("]\n".utf8)) }
    }

    /// Each row's verdict and bytes, in file order.
    private func forEachRow(_ body: (Result<String, RowRejection>, [UInt8]) -> Void) throws(InputError) {
        let reader = try InputRecordReader(file: try InputFile(path: path), maxRowBytes: maxRowBytes)
        let validator = RowValidator(inputKey: inputKey, maxRowBytes: maxRowBytes, layout: reader.layout)
        while let record = try reader.next() {
            body(validator.seed(of: record), record.bytes)
        }
    }
}
