/// Checks shared by the two composition strategies.
package enum Composition {
    /// A composition task that merely repeats one of its sub-tasks composes nothing.
    package static func checkDistinct(_ composition: String, from subTasks: [String]) throws(ReplyProblem) {
        for subTask in subTasks where composition.lowercased() == subTask.lowercased() {
            throw ReplyProblem(
                "\"composition_task\" only repeats the sub-task \"\(subTask)\"; it must combine all sub-tasks into one request"
            )
        }
    }
}
