/// Short renderings of JSON values and numbers for violation messages.
enum JSONRendering {
    static func render(_ value: JSONValue) -> String {
        (try? JSONCoding.encodeString(value)) ?? value.typeName
    }

    static func render(_ number: Double) -> String {
        render(.number(number))
    }

    /// "a", "a or b", "a, b or c".
    static func alternatives(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " or " + items[items.count - 1]
    }
}
