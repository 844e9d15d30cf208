/// Quantiles of Student's t distribution, for intervals over a handful of batches.
enum StudentT {
    /// The 0.95 quantile for 1 to 30 degrees of freedom: a two-sided 90% interval.
    private static let quantiles95: [Double] = [
        6.3138, 2.9200, 2.3534, 2.1318, 2.0150, 1.9432, 1.8946, 1.8595, 1.8331, 1.8125,
        1.7959, 1.7823, 1.7709, 1.7613, 1.7531, 1.7459, 1.7396, 1.7341, 1.7291, 1.7247,
        1.7207, 1.7171, 1.7139, 1.7109, 1.7081, 1.7056, 1.7033, 1.7011, 1.6991, 1.6973,
    ]

    /// Past 30 degrees of freedom the normal quantile, 1.6449, is within 3% of it.
    static func quantile95(degreesOfFreedom: Int) -> Double {
        guard degreesOfFreedom >= 1 else { return .infinity }
        return degreesOfFreedom <= quantiles95.count ? quantiles95[degreesOfFreedom - 1] : 1.6449
    }
}
