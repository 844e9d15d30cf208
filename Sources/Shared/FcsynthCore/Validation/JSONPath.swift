/// Builds the paths that violations carry: `$.a.b[0]`, and `$["odd key"]` for keys that are not identifiers.
package enum JSONPath {
    package static func member(_ path: String, _ key: String) -> String {
        isIdentifier(key) ? "\(path).\(key)" : "\(path)[\(JSONRendering.render(.string(key)))]"
    }

    package static func index(_ path: String, _ index: Int) -> String {
        "\(path)[\(index)]"
    }

    /// `[A-Za-z_][A-Za-z0-9_]*`
    package static func isIdentifier(_ key: String) -> Bool {
        guard let first = key.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        return key.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
                true
            default: false
            }
        }
    }
}
