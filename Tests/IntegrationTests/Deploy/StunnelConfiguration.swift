/// An stunnel configuration as the deploy files hold it: global options, then `[service]`
/// sections of `key = value` lines; `;` and `#` start comments.
struct StunnelConfiguration {
    struct Line {
        var section: String?
        var key: String?
        var value: String
        /// The line as written, for a comment, a blank or a section header.
        var text: String
    }

    private(set) var lines: [Line]

    init(parsing text: String) {
        var section: String?
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { raw in
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("[") && trimmed.hasSuffix("]") {
                section = String(trimmed.dropFirst().dropLast())
                return Line(section: section, key: nil, value: "", text: String(raw))
            }
            guard !trimmed.isEmpty, !trimmed.hasPrefix(";"), !trimmed.hasPrefix("#"),
                let equals = trimmed.firstIndex(of: "=")
            else {
                return Line(section: section, key: nil, value: "", text: String(raw))
            }
            return Line(
                section: section, key: trimmed[..<equals].trimmingCharacters(in: .whitespaces),
                value: trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces), text: String(raw))
        }
    }

    /// The `[service]` sections, in order.
    var sections: [String] {
        var seen: [String] = []
        for case let section? in lines.map(\.section) where !seen.contains(section) {
            seen.append(section)
        }
        return seen
    }

    /// The values of `key` in `section` (nil: the global options).
    func values(_ key: String, in section: String? = nil) -> [String] {
        lines.filter { $0.section == section && $0.key == key }.map(\.value)
    }

    func value(_ key: String, in section: String? = nil) -> String? {
        values(key, in: section).last
    }

    /// The same configuration with some values of `section` changed: a test's ports, CA and host.
    func replacing(_ changes: [String: String], in section: String) -> String {
        lines.map { line in
            guard line.section == section, let key = line.key, let value = changes[key] else { return line.text }
            return "\(key) = \(value)"
        }.joined(separator: "\n")
    }
}
