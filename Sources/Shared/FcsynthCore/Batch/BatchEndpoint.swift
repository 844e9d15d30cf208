/// The seam between batch mode and a provider's Batch API (OpenAI's `/v1/files` and
/// `/v1/batches`, or a compatible gateway's): upload a file of requests, start a batch on it,
/// watch it, read its answers, cancel it.
public protocol BatchEndpoint: Sendable {
    /// Stated in the records whose answers came through the batch.
    var identity: BackendIdentity { get }
    /// The most requests and bytes one batch file may hold at this provider.
    var limits: BatchLimits { get }
    /// Uploads the requests as one JSON Lines file (purpose `batch`); returns the file's id.
    func upload(_ requests: [BatchRequest]) async throws(LLMError) -> String
    /// Starts a batch over an uploaded file, labelled with `metadata` so that it can be found again.
    func create(inputFile: String, metadata: [String: String]) async throws(LLMError) -> BatchJob
    func job(_ id: String) async throws(LLMError) -> BatchJob
    /// The most recent batch whose metadata holds every pair of `metadata`, among the provider's
    /// newest `searching` batches; nil when there is none.
    func find(metadata: [String: String], searching: Int) async throws(LLMError) -> BatchJob?
    /// Every line of a finished batch's output and error files.
    func results(of job: BatchJob) async throws(LLMError) -> [BatchResult]
    func cancel(_ id: String) async throws(LLMError) -> BatchJob
}
