/// One run of a script, to send in a pipeline with other commands
/// (`RedisClient.execute(_:then:)`).
public struct RedisScriptCall {
    public let script: RedisScript
    public let keys: [String]
    public let arguments: [any RedisArgument]

    public init(_ script: RedisScript, keys: [String], arguments: [any RedisArgument]) {
        self.script = script
        self.keys = keys
        self.arguments = arguments
    }
}
