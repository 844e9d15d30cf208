import FcsynthRedis
import Foundation

/// A finished task and everything its hand-off writes.
public struct Completion: Sendable, Hashable {
    public var tid: String
    public var stage: String
    public var operations: [HandOffOperation]

    public init(tid: String, stage: String, operations: [HandOffOperation]) {
        self.tid = tid
        self.stage = stage
        self.operations = operations
    }

    package func append(to arguments: inout [any RedisArgument]) {
        arguments.append(tid)
        arguments.append(stage)
        arguments.append(operations.count)
        for operation in operations {
            switch operation {
            case .push(let stage, let entry):
                arguments.append(contentsOf: ["push", stage.rawValue, entry] as [any RedisArgument])
            case .delay(let delay, let entry):
                arguments.append(contentsOf: ["delay", TaskQueue.milliseconds(delay), entry] as [any RedisArgument])
            case .output(let id, let record):
                arguments.append(contentsOf: ["out", id, record] as [any RedisArgument])
            case .filter(let record):
                arguments.append(contentsOf: ["filter", record] as [any RedisArgument])
            case .dead(let record):
                arguments.append(contentsOf: ["dead", record] as [any RedisArgument])
            case .increment(let field, let amount):
                arguments.append(contentsOf: ["incr", field, amount] as [any RedisArgument])
            case .forgetReplies:
                arguments.append("forget")
            case .markCounted(let field):
                arguments.append(contentsOf: ["mark", field] as [any RedisArgument])
            case .dropReply(let field):
                arguments.append(contentsOf: ["drop", field] as [any RedisArgument])
            case .park(let entry, let request):
                arguments.append(contentsOf: ["park", entry, request] as [any RedisArgument])
            }
        }
    }
}
