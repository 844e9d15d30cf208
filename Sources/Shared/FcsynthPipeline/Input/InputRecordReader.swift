import FcsynthCore
import Foundation

/// Streams the rows of a JSON Lines file, or the elements of a JSON array file, in constant
/// memory: a row longer than the limit is measured and skipped, never held.
package final class InputRecordReader {
    package enum Layout: Sendable {
        case jsonLines
        case jsonArray
    }

    private static let chunk = 1 << 20
    private let file: InputFile
    private let maxRowBytes: Int
    private var buffer = [UInt8](repeating: 0, count: InputRecordReader.chunk)
    private var start = 0
    private var end = 0
    private var atEOF = false
    /// File offset of `buffer[start]`.
    private var offset: Int64
    private var lineNumber: Int
    private var rowNumber: Int
    package private(set) var layout: Layout = .jsonLines
    private var arrayFinished = false
    /// Of every byte consumed so far: after a row, the digest of the file up to its end.
    private var digest: InputDigest

    /// Starts at a resume point: `offset` bytes in (plain files only) after `rows` rows,
    /// which for JSON Lines is also the line count, with the digest of the bytes before it.
    package init(
        file: InputFile, maxRowBytes: Int, offset: Int64 = 0, rows: Int = 0, digest: InputDigest = InputDigest()
    ) throws(InputError) {
        self.file = file
        self.maxRowBytes = maxRowBytes
        self.offset = offset
        self.digest = digest
        self.lineNumber = rows
        self.rowNumber = rows
        if offset > 0 {
            guard file.seek(to: offset) else {
                throw .unreadable(path: file.path, reason: "cannot seek to the resume point")
            }
        }
        try detectLayout(atStart: offset == 0)
    }

    /// The next row, or nil at the end of the input.
    package func next() throws(InputError) -> InputRecord? {
        switch layout {
        case .jsonLines: try nextLine()
        case .jsonArray: try nextElement()
        }
    }

    private func detectLayout(atStart: Bool) throws(InputError) {
        guard atStart else { return }
        try fill()
        if file.path == InputFile.standardInput, end - start >= 2, buffer[start] == 0x1f, buffer[start + 1] == 0x8b {
            throw .unreadable(path: file.path, reason: "it is gzip-compressed: pipe it through gzip -dc")
        }
        if end - start >= 3, buffer[start] == 0xEF, buffer[start + 1] == 0xBB, buffer[start + 2] == 0xBF {
            consume(3)
        }
        while true {
            while start < end, JSONScanner.isWhitespace(buffer[start]) {
                if buffer[start] == UInt8(ascii: "\n") { lineNumber += 1 }
                consume(1)
            }
            if start < end || atEOF { break }
            try fill()
        }
        if start < end, buffer[start] == UInt8(ascii: "[") {
            layout = .jsonArray
            consume(1)
        }
    }

    // MARK: JSON Lines

    private func nextLine() throws(InputError) -> InputRecord? {
        while true {
            if let newline = indexOfNewline() {
                var rowEnd = newline
                if rowEnd > start, buffer[rowEnd - 1] == UInt8(ascii: "\r") { rowEnd -= 1 }
                // A row over the limit that still fits in the buffer is refused here; a longer one, below.
                let length = rowEnd - start
                let bytes = length > maxRowBytes ? [] : Array(buffer[start..<rowEnd])
                consume(newline + 1 - start)
                lineNumber += 1
                if length > maxRowBytes {
                    return InputRecord(
                        number: lineNumber, line: lineNumber, bytes: [], oversize: length, endOffset: offset,
                        digest: digest)
                }
                if bytes.allSatisfy(JSONScanner.isWhitespace) { continue }
                rowNumber = lineNumber
                return InputRecord(
                    number: lineNumber, line: lineNumber, bytes: bytes, oversize: nil, endOffset: offset, digest: digest
                )
            }
            if end - start > maxRowBytes {
                return try skipOversizeLine()
            }
            if atEOF {
                guard start < end else { return nil }
                // A last line without a newline still counts; a truncated one fails validation.
                var rowEnd = end
                if buffer[rowEnd - 1] == UInt8(ascii: "\r") { rowEnd -= 1 }
                let bytes = Array(buffer[start..<rowEnd])
                consume(end - start)
                lineNumber += 1
                if bytes.allSatisfy(JSONScanner.isWhitespace) { return nil }
                return InputRecord(
                    number: lineNumber, line: lineNumber, bytes: bytes, oversize: nil, endOffset: offset, digest: digest
                )
            }
            try fill()
        }
    }

    private func skipOversizeLine() throws(InputError) -> InputRecord {
        var length = 0
        while true {
            if let newline = indexOfNewline() {
                length += newline - start
                consume(newline + 1 - start)
                break
            }
            length += end - start
            consume(end - start)
            if atEOF { break }
            try fill()
        }
        lineNumber += 1
        return InputRecord(
            number: lineNumber, line: lineNumber, bytes: [], oversize: length, endOffset: offset, digest: digest)
    }

    private func indexOfNewline() -> Int? {
        guard start < end else { return nil }
        return buffer.withUnsafeBufferPointer { pointer -> Int? in
            guard let found = memchr(pointer.baseAddress! + start, Int32(UInt8(ascii: "\n")), end - start) else {
                return nil
            }
            return pointer.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }

    // MARK: JSON array

    private func nextElement() throws(InputError) -> InputRecord? {
        guard !arrayFinished else { return nil }
        // Between elements: whitespace, then a comma (after the first), a value, or the closing bracket.
        var sawComma = false
        while true {
            if start == end {
                if atEOF {
                    throw .malformedArray(
                        path: file.path, line: lineNumber + 1, reason: "the JSON array is not closed with ]")
                }
                try fill()
                continue
            }
            let byte = buffer[start]
            if JSONScanner.isWhitespace(byte) {
                if byte == UInt8(ascii: "\n") { lineNumber += 1 }
                consume(1)
            } else if byte == UInt8(ascii: ",") && !sawComma && rowNumber > 0 {
                sawComma = true
                consume(1)
            } else if byte == UInt8(ascii: "]") && !sawComma {
                consume(1)
                arrayFinished = true
                return nil
            } else if rowNumber > 0 && !sawComma {
                throw .malformedArray(
                    path: file.path, line: lineNumber + 1, reason: "expected , or ] after element \(rowNumber)")
            } else {
                break
            }
        }
        return try readElement()
    }

    /// One value, found by matching brackets outside strings.
    private func readElement() throws(InputError) -> InputRecord {
        let firstLine = lineNumber + 1
        var element: [UInt8] = []
        var oversize = 0
        var depth = 0
        var inString = false
        var escaped = false
        var segmentStart = start
        var index = start
        var done = false
        while !done {
            if index == end {
                oversize += keep(buffer[segmentStart..<index], into: &element)
                consume(index - start)
                if atEOF {
                    throw .malformedArray(
                        path: file.path, line: lineNumber + 1, reason: "element \(rowNumber + 1) is not complete")
                }
                try fill()
                segmentStart = start
                index = start
                continue
            }
            let byte = buffer[index]
            if byte == UInt8(ascii: "\n") { lineNumber += 1 }
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                depth += 1
            } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                if depth == 0 {
                    // A scalar element ends at the bracket that closes the array.
                    break
                }
                depth -= 1
                if depth == 0 { done = true }
            } else if depth == 0 && (byte == UInt8(ascii: ",") || JSONScanner.isWhitespace(byte)) {
                break
            }
            index += 1
        }
        oversize += keep(buffer[segmentStart..<index], into: &element)
        consume(index - start)
        rowNumber += 1
        let tooLong = oversize > 0 ? element.count + oversize : nil
        return InputRecord(
            number: rowNumber, line: firstLine, bytes: tooLong == nil ? element : [], oversize: tooLong,
            endOffset: offset, digest: digest)
    }

    /// Appends while under the limit; past it, counts the bytes instead and drops them.
    private func keep(_ bytes: ArraySlice<UInt8>, into element: inout [UInt8]) -> Int {
        if element.count + bytes.count <= maxRowBytes {
            element.append(contentsOf: bytes)
            return 0
        }
        let overflow = element.count + bytes.count
        element.removeAll(keepingCapacity: false)
        return overflow
    }

    // MARK: Buffer

    private func consume(_ count: Int) {
        buffer.withUnsafeBytes { digest.add(UnsafeRawBufferPointer(rebasing: $0[start..<(start + count)])) }
        start += count
        offset += Int64(count)
    }

    private func fill() throws(InputError) {
        if start > 0 {
            buffer.replaceSubrange(0..<(end - start), with: buffer[start..<end])
            end -= start
            start = 0
        }
        if end == buffer.count {
            buffer.append(contentsOf: repeatElement(0, count: Self.chunk))
        }
        let result = buffer.withUnsafeMutableBytes { raw in
            Result { () throws(InputError) in try file.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[end...]))
            }
        }
        let count = try result.get()
        if count == 0 {
            atEOF = true
            try file.finish()
        }
        end += count
    }
}
