/// The `type` names of the supported schema subset.
package enum SchemaType: String, CaseIterable, Sendable {
    case string, number, integer, boolean, object, array, null

    /// Integers are numbers with an integral value; every integer is also a number.
    package func admits(_ value: JSONValue) -> Bool {
        switch (self, value) {
        case (.string, .string), (.boolean, .bool), (.object, .object), (.array, .array), (.null, .null),
            (.number, .number):
            true
        case (.integer, .number(let number)):
            number.isFinite && number.rounded() == number
        default:
            false
        }
    }

    /// The types a schema's `type` keyword names, or nil when it has none (or a malformed one).
    package static func declared(by schema: [String: JSONValue]) -> [SchemaType]? {
        switch schema["type"] {
        case .string(let name):
            return SchemaType(rawValue: name).map { [$0] }
        case .array(let names):
            let types = names.compactMap { $0.stringValue.flatMap(SchemaType.init(rawValue:)) }
            return types.isEmpty ? nil : types
        default:
            return nil
        }
    }
}
