extension SimulatedLLM {
    /// Functions per sub-task by its place in the composition: the atomic task gets one or two
    /// chained lookups, a parallel task its own function, a subsequent task the domain's action,
    /// or none when it is logic the assistant does itself.
    static func functions(_ data: [String: JSONValue], using random: inout SplitMix64) -> JSONValue {
        let subTasks = data["sub_tasks"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let domain = domain(ofText: data["composition_task"]?.stringValue ?? subTasks.first ?? "", using: &random)
        let entries = subTasks.enumerated().map { index, subTask in
            var functions: [FunctionDefinition]
            switch index {
            case 0: functions = Array(domain.lookups.prefix(random.next() % 3 == 0 ? 1 : 2))
            case subTasks.count - 1: functions = logicVerbs.contains(where: subTask.hasPrefix) ? [] : [domain.action]
            default: functions = [domain.parallelFunction]
            }
            return JSONValue.object(["sub_task": .string(subTask), "functions": .array(functions.map(\.json))])
        }
        return .object(["sub_tasks": .array(entries)])
    }
}
