// swift-tools-version:6.0
import PackageDescription

// Layers, lowest first. Each target sees only what it names, and the C modules sit in one
// target each, so that the stages cannot reach hiredis or curl even transitively.
// Compiled into the binaries, so that no resource bundle travels with them. `envelope` and
// `clock` are the preludes PipelineScripts puts before each of the others.
let luaScripts = [
    "acknowledge_export", "acquire_llm_budget", "add_distractors", "adjust_pace", "bind_input", "cache_store",
    "check_commands", "claim_tasks", "clock", "complete_tasks", "draft_batch", "end_enqueue", "enqueue_rows",
    "envelope",
    "expired_workers", "lead_batches", "lsh", "memory", "near_duplicate", "near_duplicate_functions", "record_batch",
    "recover_tasks", "release_tasks", "renew_lease", "requeue_dead", "save_reply", "set_budget", "settle_batch",
]

let package = Package(
    name: "fcsynth",
    products: [
        .executable(name: "fcsynth", targets: ["Coordinator"]),
        .executable(name: "fcsynth-worker", targets: ["Worker"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // Debian installs both libraries' headers on the default include path, so no pkg-config
        // flags are needed (hiredis.pc would add one that SwiftPM refuses with a warning).
        .systemLibrary(name: "CHiredis"),
        .systemLibrary(name: "CCurl"),
        // Glibc's Swift module leaves out <sys/epoll.h>, which the simulator's server needs.
        .systemLibrary(name: "CEpoll"),
        .target(name: "CCurlShim", dependencies: ["CCurl"], linkerSettings: [.linkedLibrary("curl")]),
        .target(name: "CSpawn"),

        // The data model, JSON, validation and the LLM backend protocol: no I/O.
        .target(name: "FcsynthCore", path: "Sources/Shared/FcsynthCore"),
        // Processes, signals, descriptor limits, ports, log handlers, the metrics listener.
        .target(
            name: "FcsynthSystem",
            dependencies: ["FcsynthCore", "CSpawn", .product(name: "Logging", package: "swift-log")],
            path: "Sources/Shared/FcsynthSystem"
        ),
        // The Redis client: the only target that sees hiredis.
        .target(
            name: "FcsynthRedis",
            dependencies: ["CHiredis", .product(name: "Logging", package: "swift-log")],
            path: "Sources/Shared/FcsynthRedis"
        ),
        // The OpenAI-compatible HTTP client: the only target that sees curl.
        .target(
            name: "FcsynthLLMClient",
            dependencies: [
                "FcsynthCore", "CCurl", "CCurlShim", "CEpoll", .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Shared/FcsynthLLMClient"
        ),
        // Reads the tool catalog a user brings (OpenAI tools, OpenAPI 3 in JSON or YAML): only the
        // coordinator links it, and with it a YAML parser.
        .target(
            name: "FcsynthCatalog",
            dependencies: ["FcsynthCore", .product(name: "Yams", package: "Yams")],
            path: "Sources/Shared/FcsynthCatalog"
        ),
        // The meaning checks of a conversation (grounding, coverage, order, leaks): no I/O.
        .target(name: "FcsynthVerification", dependencies: ["FcsynthCore"], path: "Sources/Shared/FcsynthVerification"),
        // The BUTTON operators: prompts, reply checks, the three agents. Core and checks only.
        .target(
            name: "FcsynthStages",
            dependencies: ["FcsynthCore", "FcsynthVerification"],
            path: "Sources/Shared/FcsynthStages"
        ),
        // Tasks, keys and scripts; the worker loop; runs, input, export and metrics.
        .target(
            name: "FcsynthPipeline",
            dependencies: [
                "FcsynthCore", "FcsynthStages", "FcsynthVerification", "FcsynthRedis", "FcsynthSystem",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Shared/FcsynthPipeline",
            resources: luaScripts.map { .embedInCode("Tasks/Scripts/\($0).lua") }
        ),
        // The in-process simulated LLM, answering the stage contract.
        .target(
            name: "FcsynthSimulatedLLM",
            dependencies: ["FcsynthCore", "FcsynthStages"],
            path: "Sources/Shared/FcsynthSimulatedLLM"
        ),
        // The simulated LLM served over HTTP (epoll): linked by `fcsynth` alone.
        .target(
            name: "FcsynthSimulatorServer",
            dependencies: ["FcsynthCore", "FcsynthSimulatedLLM", "FcsynthSystem", "CEpoll"],
            path: "Sources/Shared/FcsynthSimulatorServer"
        ),
        // Which backend a process talks to: the HTTP client or the simulated LLM.
        .target(
            name: "FcsynthBackends",
            dependencies: ["FcsynthCore", "FcsynthLLMClient", "FcsynthSimulatedLLM"],
            path: "Sources/Shared/FcsynthBackends"
        ),

        .executableTarget(
            name: "Coordinator",
            dependencies: [
                "FcsynthCore", "FcsynthSystem", "FcsynthRedis", "FcsynthPipeline", "FcsynthBackends",
                "FcsynthSimulatorServer", "FcsynthVerification", "FcsynthCatalog",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "Worker",
            dependencies: [
                "FcsynthCore", "FcsynthSystem", "FcsynthRedis", "FcsynthPipeline", "FcsynthBackends",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Tests, by what they need to run. Each target names exactly the modules it imports.
        // How the server and integration tests find redis-server, the simulator and the binaries.
        .target(
            name: "TestSupport",
            dependencies: ["FcsynthCore", "FcsynthSystem", "FcsynthRedis", "FcsynthSimulatorServer"],
            path: "Tests/TestSupport"
        ),
        // No server, no child process, no network: `swift test --filter UnitTests`.
        .testTarget(
            name: "UnitTests",
            dependencies: [
                "FcsynthCore", "FcsynthRedis", "FcsynthLLMClient", "FcsynthStages", "FcsynthPipeline",
                "FcsynthSimulatedLLM", "FcsynthSimulatorServer", "FcsynthVerification", "FcsynthBackends",
                "FcsynthCatalog",
            ]
        ),
        // One layer against a real redis-server or the HTTP simulator (shared or their own).
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "FcsynthCore", "FcsynthSystem", "FcsynthRedis", "FcsynthLLMClient", "FcsynthStages", "FcsynthPipeline",
                "FcsynthSimulatedLLM", "FcsynthSimulatorServer", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The built `fcsynth` and `fcsynth-worker` processes together: pipeline, chaos, deploy files.
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "FcsynthCore", "FcsynthSystem", "FcsynthRedis", "FcsynthStages", "FcsynthPipeline", "TestSupport",
            ],
            // C that FakeClock compiles for the worker it starts, and the tool executor the
            // catalog tests run: files for the processes the tests start, not for the tests.
            exclude: ["Pipeline/fake_clock_timers.c", "Pipeline/Fixtures/tool_executor.py"]
        ),
    ]
)
