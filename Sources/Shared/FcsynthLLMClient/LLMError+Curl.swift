import CCurl
import FcsynthCore

extension LLMError {
    /// Classifies a failed transfer by its curl result code.
    package init(curlCode code: CURLcode, detail: String) {
        let kind: TransportKind =
            switch code {
            case CURLE_COULDNT_CONNECT: .connectRefused
            case CURLE_OPERATION_TIMEDOUT: .timeout
            case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: .dns
            case CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE: .connectionReset
            default: .other
            }
        let summary = String(cString: curl_easy_strerror(code))
        self = .transport(kind, message: detail.isEmpty ? summary : "\(summary): \(detail)")
    }
}
