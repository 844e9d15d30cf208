/// Why one operation of an OpenAPI document cannot be a function.
struct OpenAPIProblem: Error {
    var message: String

    init(_ message: String) {
        self.message = message
    }
}
