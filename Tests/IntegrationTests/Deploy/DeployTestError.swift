/// A deploy file or system tool that is not what the tests expect.
struct DeployTestError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
