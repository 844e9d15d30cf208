import Foundation

/// The shared libraries a binary names directly (ELF NEEDED entries), where the dynamic linker
/// finds them, and the Debian packages that own them.
struct LinkedLibraries {
    struct Library: Hashable {
        var name: String
        var path: String?
        var package: String?
    }

    static let tools = (
        readelf: SystemTool(named: "readelf"), ldd: SystemTool(named: "ldd"), dpkg: SystemTool(named: "dpkg")
    )
    static var isAvailable: Bool { tools.readelf != nil && tools.ldd != nil && tools.dpkg != nil }
    static let unavailableReason =
        "readelf (binutils), ldd and dpkg are needed to map linked libraries to Debian packages"

    let libraries: [Library]

    init(of binary: URL) throws {
        guard let readelf = Self.tools.readelf, let ldd = Self.tools.ldd, let dpkg = Self.tools.dpkg else {
            throw DeployTestError(message: Self.unavailableReason)
        }
        let needed = try readelf.run(["-d", binary.path]).standardOutput.split(separator: "\n").compactMap {
            line -> String? in
            guard line.contains("(NEEDED)"), let open = line.firstIndex(of: "["), let close = line.lastIndex(of: "]")
            else { return nil }
            return String(line[line.index(after: open)..<close])
        }
        var paths: [String: String] = [:]
        for line in try ldd.run([binary.path]).standardOutput.split(separator: "\n") {
            let parts = line.split(whereSeparator: \.isWhitespace).map(String.init)
            if parts.count >= 3, parts[1] == "=>", parts[2].hasPrefix("/") {
                paths[parts[0]] = parts[2]
            } else if let first = parts.first, first.hasPrefix("/") {
                // The dynamic linker itself is listed by path alone.
                paths[URL(fileURLWithPath: first).lastPathComponent] = first
            }
        }
        let owners = try Self.packages(owning: Array(paths.values), dpkg: dpkg)
        libraries = needed.map { name in
            let path = paths[name]
            return Library(name: name, path: path, package: path.flatMap { owners[$0] })
        }
    }

    /// The owning package of each path that has one, from a single `dpkg -S` (it reads its whole
    /// database per call). dpkg lists a file under /lib or /usr/lib depending on the package,
    /// while the linker may report either on a merged-/usr system, so both spellings and the
    /// file a symlink names are asked for.
    private static func packages(owning paths: [String], dpkg: SystemTool) throws -> [String: String] {
        var spellings: [String: [String]] = [:]
        for path in paths {
            let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            var candidates: [String] = []
            for candidate in [path, resolved] {
                candidates.append(candidate)
                if candidate.hasPrefix("/usr/lib/") { candidates.append(String(candidate.dropFirst(4))) }
                if candidate.hasPrefix("/lib/") || candidate.hasPrefix("/lib64/") {
                    candidates.append("/usr" + candidate)
                }
            }
            spellings[path] = candidates
        }
        // Exit status 1 only means some paths belong to no package.
        let output = try dpkg.run(["-S"] + Set(spellings.values.joined()).sorted())
        var ownerOfSpelling: [String: String] = [:]
        for line in output.standardOutput.split(separator: "\n") {
            // "libcurl4:amd64: /usr/lib/x86_64-linux-gnu/libcurl.so.4"
            guard let separator = line.range(of: ": ") else { continue }
            let package = line[..<separator.lowerBound].split(separator: ",")[0].split(separator: ":")[0]
            ownerOfSpelling[String(line[separator.upperBound...])] = String(package)
        }
        return spellings.compactMapValues { candidates in candidates.lazy.compactMap { ownerOfSpelling[$0] }.first }
    }
}
