/// Short renderings of JSON values and numbers for violation messages.
package enum JSONRendering {
    package static func render(_ value: JSONValue) -> String {
        (try? JSONCoding.encodeString(value)) ?? value.typeName
    }

    package static func render(_ number: Double) -> String {
        render(.number(number))
    }

    /// "a", "a or b", "a, b or c".
    package static func alternatives(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " or " + items[items.count - 1]
    }
}
