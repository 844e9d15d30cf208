extension Duration {
    /// The duration in seconds as a Double, precise enough for timeouts and backoffs.
    package var inSeconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) / 1e18
    }

    /// Whole milliseconds, at least 1: curl treats a zero timeout as "none".
    package var curlMilliseconds: Int {
        max(1, Int((inSeconds * 1000).rounded(.up)))
    }
}
