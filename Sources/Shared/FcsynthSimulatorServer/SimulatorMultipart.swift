/// The parts of a `multipart/form-data` body, as `POST /v1/files` receives its `purpose` and
/// `file`: each part's name, its file name if it has one, and its bytes.
package struct SimulatorMultipart {
    package struct Part {
        package var name: String
        package var filename: String?
        package var content: ArraySlice<UInt8>
    }

    package var parts: [Part]

    package func part(_ name: String) -> Part? { parts.first { $0.name == name } }

    /// Reads `body` split by the boundary that `contentType` names; nil for anything else.
    package init?(body: [UInt8], contentType: String) {
        guard contentType.lowercased().hasPrefix("multipart/form-data"),
            let boundaryField = contentType.split(separator: ";").map({ $0.trimmingPrefix(" ") }).first(where: {
                $0.lowercased().hasPrefix("boundary=")
            })
        else { return nil }
        var boundary = String(boundaryField.dropFirst("boundary=".count))
        if boundary.hasPrefix("\""), boundary.hasSuffix("\""), boundary.count >= 2 {
            boundary = String(boundary.dropFirst().dropLast())
        }
        guard !boundary.isEmpty else { return nil }
        let delimiter = Array("--\(boundary)".utf8)
        var parts: [Part] = []
        var cursor = 0
        guard let first = Self.find(delimiter, in: body, from: 0) else { return nil }
        cursor = first + delimiter.count
        while true {
            // "--" after a delimiter ends the body; otherwise a line break starts the part.
            if body[cursor...].starts(with: Array("--".utf8)) { break }
            guard body[cursor...].starts(with: Array("\r\n".utf8)) else { return nil }
            cursor += 2
            guard let headEnd = Self.find(Array("\r\n\r\n".utf8), in: body, from: cursor) else { return nil }
            let head = String(decoding: body[cursor..<headEnd], as: UTF8.self)
            let contentStart = headEnd + 4
            guard let next = Self.find(Array("\r\n".utf8) + delimiter, in: body, from: contentStart) else { return nil }
            guard let name = Self.parameter("name", in: head) else { return nil }
            parts.append(
                Part(name: name, filename: Self.parameter("filename", in: head), content: body[contentStart..<next]))
            cursor = next + 2 + delimiter.count
        }
        self.parts = parts
    }

    /// A quoted parameter of the part's `Content-Disposition` header.
    private static func parameter(_ name: String, in head: String) -> String? {
        for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
            for field in line.split(separator: ";").dropFirst() {
                let pair = field.trimmingPrefix(" ")
                guard pair.hasPrefix("\(name)=") else { continue }
                var value = pair.dropFirst(name.count + 1)
                if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                    value = value.dropFirst().dropLast()
                }
                return String(value)
            }
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        var index = start
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == needle[0], haystack[index..<(index + needle.count)].elementsEqual(needle) {
                return index
            }
            index += 1
        }
        return nil
    }
}
