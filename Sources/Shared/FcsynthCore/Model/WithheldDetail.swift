/// The argument of a `clarify` item that the user leaves out of the request: the assistant
/// has to ask for it before it calls `function`.
public struct WithheldDetail: Codable, Sendable, Hashable {
    public var function: String
    public var parameter: String

    public init(function: String, parameter: String) {
        self.function = function
        self.parameter = parameter
    }
}
