import Foundation

/// A request body in memory of its own that curl sends without copying (`CURLOPT_POSTFIELDS`),
/// shared by every attempt of one call: with thousands of calls in flight, one copy each
/// instead of the encoder's and curl's.
package final class RequestBody: @unchecked Sendable {
    // Written once in `init`, only read afterwards.
    package let bytes: UnsafeRawBufferPointer

    package init(_ data: Data) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, data.count), alignment: 1)
        data.copyBytes(to: buffer)
        bytes = UnsafeRawBufferPointer(rebasing: buffer[..<data.count])
    }

    deinit {
        bytes.baseAddress.map { UnsafeMutableRawPointer(mutating: $0).deallocate() }
    }
}
