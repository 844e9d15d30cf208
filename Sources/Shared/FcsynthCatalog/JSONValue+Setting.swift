import FcsynthCore

extension JSONValue {
    /// The object with `key` set; any other value as it is.
    func setting(_ key: String, _ value: JSONValue) -> JSONValue {
        guard case .object(var fields) = self else { return self }
        fields[key] = value
        return .object(fields)
    }
}
