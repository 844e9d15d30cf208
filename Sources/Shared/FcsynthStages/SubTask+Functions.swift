import FcsynthCore

extension [SubTask] {
    /// Every function of the sub-tasks, in sub-task order. Names are unique within an item
    /// (`FunctionValidator` checks that); the filter keeps the list safe even so.
    package var distinctFunctions: [FunctionDefinition] {
        var seen: Set<String> = []
        return flatMap(\.functions).filter { seen.insert($0.name).inserted }
    }
}
