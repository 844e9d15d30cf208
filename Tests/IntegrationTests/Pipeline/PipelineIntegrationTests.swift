import Testing

/// The distributed pipeline end to end with real processes: `fcsynth` commands and
/// `fcsynth-worker` processes on the test Redis, each test in a namespace of its own.
@Suite struct PipelineIntegrationTests {}
