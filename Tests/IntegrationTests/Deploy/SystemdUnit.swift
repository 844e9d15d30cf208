import Foundation

/// A systemd unit file's settings by section, each key with every value it is given.
struct SystemdUnit {
    private(set) var sections: [String: [String: [String]]] = [:]

    init(parsing text: String) {
        var section = ""
        var pending = ""
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = pending + rawLine.trimmingCharacters(in: .whitespaces)
            pending = ""
            if line.hasSuffix("\\") {
                line.removeLast()
                pending = line + " "
                continue
            }
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                section = String(line.dropFirst().dropLast())
                continue
            }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            sections[section, default: [:]][key, default: []].append(value)
        }
    }

    /// The last value of a key, which is the one systemd uses for single-valued settings.
    subscript(section: String, key: String) -> String? {
        sections[section]?[key]?.last
    }

    func values(_ section: String, _ key: String) -> [String] {
        sections[section]?[key] ?? []
    }
}
