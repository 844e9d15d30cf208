import FcsynthCore

/// Thrown in batch mode by the backend of a task that needs an answer it does not have yet:
/// the task parks until a batch brings the answer, instead of calling the endpoint.
package struct BatchParking: Error, Sendable {
    /// The answer's field in the task's replay hash, without its prefix: `HASH#N`.
    package var key: String
    package var request: ChatRequest
}
