import Foundation

/// How long the simulator waits before answering a request.
public struct SimulatorLatency: Sendable, Hashable {
    public enum Distribution: String, CaseIterable, Sendable {
        case fixed
        case lognormal
    }

    public var distribution: Distribution
    /// The median delay in seconds.
    public var median: Double
    /// The lognormal spread: a delay is `median * exp(sigma * N(0,1))`.
    public var sigma: Double

    public init(distribution: Distribution, median: Double, sigma: Double = 0) {
        self.distribution = distribution
        self.median = max(0, median)
        self.sigma = max(0, sigma)
    }

    public static let none = SimulatorLatency(distribution: .fixed, median: 0)

    public static func fixed(milliseconds: Double) -> SimulatorLatency {
        SimulatorLatency(distribution: .fixed, median: milliseconds / 1000)
    }

    public static func lognormal(medianMilliseconds: Double, sigma: Double) -> SimulatorLatency {
        SimulatorLatency(distribution: .lognormal, median: medianMilliseconds / 1000, sigma: sigma)
    }

    /// No delay exceeds an hour, however wide the spread.
    package static let maximum = 3600.0

    /// One delay in seconds.
    package func sample<Generator: RandomNumberGenerator>(using generator: inout Generator) -> Double {
        switch distribution {
        case .fixed:
            return min(median, Self.maximum)
        case .lognormal:
            return min(median * exp(sigma * Self.standardNormal(using: &generator)), Self.maximum)
        }
    }

    /// Box-Muller: two uniforms in (0, 1] give one standard normal draw.
    private static func standardNormal<Generator: RandomNumberGenerator>(using generator: inout Generator) -> Double {
        let u1 = Double.random(in: Double.leastNonzeroMagnitude...1, using: &generator)
        let u2 = Double.random(in: 0..<1, using: &generator)
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
