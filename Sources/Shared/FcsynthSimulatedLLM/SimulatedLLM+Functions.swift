import FcsynthCore

extension SimulatedLLM {
    /// Functions per sub-task by its place in the composition: the atomic task gets one or two
    /// chained lookups, a parallel task the function of its template, a subsequent task the
    /// domain's action, or none when it is logic the assistant does itself. Each function is
    /// declared once, under the first sub-task that uses it.
    package static func functions(_ data: [String: JSONValue], using random: inout SplitMix64) -> JSONValue {
        let subTasks = data["sub_tasks"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let domain = domain(ofText: data["composition_task"]?.stringValue ?? subTasks.first ?? "", using: &random)
        var declared: Set<String> = []
        let entries = subTasks.enumerated().map { index, subTask in
            var functions: [FunctionDefinition]
            switch index {
            case 0: functions = Array(domain.lookups.prefix(random.next() % 3 == 0 ? 1 : 2))
            case subTasks.count - 1: functions = logicVerbs.contains(where: subTask.hasPrefix) ? [] : [domain.action]
            default: functions = [parallel(of: subTask, in: domain).function]
            }
            functions = functions.filter { declared.insert($0.name).inserted }
            return JSONValue.object(["sub_task": .string(subTask), "functions": .array(functions.map(\.json))])
        }
        return .object(["sub_tasks": .array(entries)])
    }

    /// The parallel template a task was filled from, known by the text before its first slot.
    private static func parallel(of task: String, in domain: Domain) -> Parallel {
        domain.parallels.first { task.hasPrefix($0.task.prefix { $0 != "{" }) } ?? domain.parallels[0]
    }
}
