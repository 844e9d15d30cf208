import CCurl
import CCurlShim
import FcsynthCore
import Foundation

/// One attempt: a configured easy handle and the state curl's callbacks write into.
///
/// Until it is submitted the caller owns it; from then on only the loop thread touches it,
/// until the loop resumes the continuation.
package final class CurlTransfer: @unchecked Sendable {
    package struct Settings {
        package var url: String
        package var body: RequestBody
        package var headers: [String]
        package var timeout: Duration
        package var connectTimeout: Duration
        package var maxResponseBytes: Int
        /// GET sends no body; anything else POSTs `body`.
        package var isGet = false
    }

    package let handle: UnsafeMutableRawPointer
    private let headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private let maxResponseBytes: Int
    /// Read by curl until the transfer ends.
    private let requestBody: RequestBody
    private var body = Data()
    private var retryAfter: String?
    private var rateLimits = RateLimitHeaders()
    private var exceededLimit = false
    package var continuation: CheckedContinuation<HTTPExchange, any Error>?
    /// Set by the loop when a cancellation arrives before the transfer was added.
    package var cancelRequested = false

    package init(_ settings: Settings) throws(LLMError) {
        guard let handle = curl_easy_init() else {
            throw .transport(.other, message: "curl_easy_init failed")
        }
        self.handle = handle
        maxResponseBytes = settings.maxResponseBytes
        requestBody = settings.body
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(to: 0)
        var list: UnsafeMutablePointer<curl_slist>?
        for header in settings.headers {
            list = curl_slist_append(list, header)
        }
        headerList = list

        fcsynth_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = settings.url.withCString { fcsynth_easy_setopt_pointer(handle, CURLOPT_URL, $0) }
        fcsynth_easy_setopt_long(handle, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_1_1))
        // curl's default 16 KB receive buffer per transfer is most of a call's memory with
        // thousands in flight; completions are a few KB, and longer ones take more reads. 1 KB
        // is curl's least.
        fcsynth_easy_setopt_long(handle, CURLOPT_BUFFERSIZE, 1 << 10)
        fcsynth_easy_setopt_pointer(handle, CURLOPT_HTTPHEADER, headerList)
        if settings.isGet {
            fcsynth_easy_setopt_long(handle, CURLOPT_HTTPGET, 1)
        } else {
            fcsynth_easy_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(requestBody.bytes.count))
            fcsynth_easy_setopt_pointer(handle, CURLOPT_POSTFIELDS, requestBody.bytes.baseAddress)
        }
        fcsynth_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, settings.timeout.curlMilliseconds)
        fcsynth_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, settings.connectTimeout.curlMilliseconds)
        fcsynth_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        fcsynth_easy_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION, curlWriteCallback)
        fcsynth_easy_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION, curlHeaderCallback)
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    /// Hands curl the retained reference its callbacks and `CURLOPT_PRIVATE` carry.
    package func attach(_ opaque: UnsafeMutableRawPointer) {
        fcsynth_easy_setopt_pointer(handle, CURLOPT_PRIVATE, opaque)
        fcsynth_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, opaque)
        fcsynth_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, opaque)
    }

    /// Appends a chunk of the body; false once the body would pass the limit, which aborts the transfer.
    package func receive(_ chunk: UnsafeRawBufferPointer) -> Bool {
        guard body.count + chunk.count <= maxResponseBytes else {
            exceededLimit = true
            return false
        }
        body.append(contentsOf: chunk)
        return true
    }

    /// Notes `Retry-After` and the `x-ratelimit-*` headers; a new status line (after a 100
    /// Continue, say) starts over.
    package func receiveHeader(_ line: UnsafeRawBufferPointer) {
        if line.starts(with: "HTTP/".utf8) {
            retryAfter = nil
            rateLimits = RateLimitHeaders()
            return
        }
        if Self.hasPrefix(line, "x-ratelimit-") {
            rateLimits.absorb(line: String(decoding: line, as: UTF8.self))
            return
        }
        guard Self.hasPrefix(line, "retry-after:") else { return }
        retryAfter = String(decoding: line.dropFirst("retry-after:".utf8.count), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A case-blind match of a lowercase ASCII `name` at the start of a header line.
    private static func hasPrefix(_ line: UnsafeRawBufferPointer, _ name: String) -> Bool {
        let name = name.utf8
        return line.count > name.count && zip(line, name).allSatisfy { $0 | 0x20 == $1 | 0x20 }
    }

    /// Resumes the caller with what the finished transfer produced.
    package func complete(_ code: CURLcode) {
        if code == CURLE_OK {
            var status = 0
            fcsynth_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
            resume(
                with: .success(HTTPExchange(status: status, body: body, retryAfter: retryAfter, rateLimits: rateLimits))
            )
        } else if exceededLimit {
            resume(with: .failure(LLMError.responseTooLarge(limit: maxResponseBytes)))
        } else {
            let detail = String(cString: errorBuffer)
            resume(with: .failure(LLMError(curlCode: code, detail: detail)))
        }
    }

    package func resume(with result: Result<HTTPExchange, any Error>) {
        continuation?.resume(with: result)
        continuation = nil
    }
}
