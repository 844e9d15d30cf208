import Foundation
import TestSupport
import Testing

@testable import FcsynthRedis

/// deploy/docker: the image carries exactly the runtime packages the binaries need, and the
/// compose file runs that image with a stop timeout above the drain.
@Suite struct DeployDockerTests {
    /// Packages debian:bookworm-slim already has that binaries link (glibc, the GCC runtime).
    static let baseImagePackages: Set = ["libc6", "libgcc-s1", "libstdc++6"]

    @Test(.enabled(if: LinkedLibraries.isAvailable, "\(LinkedLibraries.unavailableReason)"))
    func runtimeStageInstallsExactlyThePackagesOfTheLinkedLibraries() throws {
        let dockerfile = Dockerfile(parsing: try DeployFiles.text("docker/Dockerfile"))
        let runtime = try #require(dockerfile.stages.last)
        let installed = Set(runtime.aptInstalledPackages)

        var needed: Set<String> = []
        for binary in ["fcsynth", "fcsynth-worker"] {
            for library in try LinkedLibraries(of: TestEnvironment.executable(binary)).libraries {
                if let package = library.package {
                    if !Self.baseImagePackages.contains(package) { needed.insert(package) }
                } else {
                    // What no Debian package owns must be the Swift runtime, which the image links statically.
                    #expect(
                        library.path?.contains("/lib/swift/") == true,
                        "\(binary) links \(library.name) (\(library.path ?? "not found")), which is neither Debian's nor Swift's"
                    )
                }
            }
        }
        #expect(
            needed.isSuperset(of: ["libhiredis0.14", "libcurl4"]), "ldd and dpkg found hiredis and curl: \(needed)")
        #expect(needed.isSubset(of: installed), "the runtime stage lacks \(needed.subtracting(installed).sorted())")
        #expect(installed.subtracting(needed) == ["ca-certificates"], "beyond the linked libraries, only the CA roots")
        #expect(!installed.contains { $0.hasSuffix("-dev") })
    }

    @Test func imageBuildsStaticallyOnTheRuntimesDebianAndRunsTheWorkerUnprivileged() throws {
        let dockerfile = Dockerfile(parsing: try DeployFiles.text("docker/Dockerfile"))
        try #require(dockerfile.stages.count == 2)
        let (build, runtime) = (dockerfile.stages[0], dockerfile.stages[1])
        let buildImage = dockerfile.baseImage(of: build)
        #expect(buildImage.hasPrefix("swift:"))
        // Same Debian release in both stages, so the sonames the build links are the ones installed.
        #expect(buildImage.hasSuffix("-bookworm"), "\(buildImage)")
        #expect(dockerfile.baseImage(of: runtime) == "debian:bookworm-slim")
        #expect(Set(build.aptInstalledPackages).isSuperset(of: ["libhiredis-dev", "libcurl4-openssl-dev"]))

        let buildCommands = build.instructions.filter { $0.keyword == "RUN" }.flatMap {
            $0.arguments.components(separatedBy: "&&")
        }
        .filter { $0.contains("swift build") }
        #expect(!buildCommands.isEmpty)
        for command in buildCommands {
            #expect(command.contains("-c release") && command.contains("--static-swift-stdlib"), "\(command)")
        }
        // The Lua scripts are compiled into the binaries: the two are all the image needs.
        let staging = build.instructions.filter { $0.keyword == "RUN" }.flatMap {
            $0.arguments.components(separatedBy: "&&")
        }
        .filter { $0.contains("/staging") && $0.contains("cp ") }
        #expect(
            staging.map { $0.trimmingCharacters(in: .whitespaces) } == [
                #"cp "$bin/fcsynth" "$bin/fcsynth-worker" /staging/"#
            ],
            "the build stage stages the two binaries alone: \(staging)")

        #expect(
            runtime.instructions.contains {
                $0.keyword == "COPY" && $0.arguments.hasPrefix("--from=build")
                    && $0.arguments.hasSuffix("/usr/local/bin/")
            })
        let user = try #require(runtime.instructions.last { $0.keyword == "USER" }?.arguments)
        #expect(user != "root" && user != "0")
        #expect(runtime.instructions.last { $0.keyword == "ENTRYPOINT" }?.arguments == #"["fcsynth-worker"]"#)
    }

    @Test(.enabled(if: YAMLDocuments.isAvailable, "\(YAMLDocuments.unavailableReason)"))
    func composeRunsTheBuiltImageWithAStopTimeoutAboveTheDrain() throws {
        let composeURL = DeployFiles.url("docker/compose.yaml")
        let compose = try #require(try YAMLDocuments.load(composeURL).first)
        let services = try #require(compose["services"]?.objectValue)

        // The worker's image; the TLS sidecar builds its own (Dockerfile.stunnel).
        let built = services.filter { $0.value["build"]?["dockerfile"]?.stringValue == "deploy/docker/Dockerfile" }
        try #require(built.count == 1, "one service builds the image: \(built.keys.sorted())")
        let (builderName, builder) = try #require(built.first)
        let context = composeURL.deletingLastPathComponent().appendingPathComponent(
            try #require(builder["build"]?["context"]?.stringValue))
        let dockerfile = context.appendingPathComponent(try #require(builder["build"]?["dockerfile"]?.stringValue))
            .standardized
        #expect(
            dockerfile.path == DeployFiles.url("docker/Dockerfile").standardized.path,
            "\(builderName) builds deploy/docker/Dockerfile")
        let image = try #require(builder["image"]?.stringValue)
        for (name, service) in services where !["redis", "redis-tls"].contains(name) {
            #expect(service["image"]?.stringValue == image, "\(name) runs the image \(builderName) builds")
        }

        let worker = try #require(services["worker"])
        let command = try #require(worker["command"]?.arrayValue).compactMap(\.stringValue)
        let grace = try #require(worker["stop_grace_period"]?.stringValue.flatMap(DurationText.seconds))
        let problem = WorkerFlags.drainProblem(in: command, stopTimeout: grace, named: "stop_grace_period")
        #expect(problem == nil, "\(problem ?? "")")
        #expect(WorkerFlags.secretFlags(in: command).isEmpty)
        #expect((worker["deploy"]?["replicas"]?.numberValue ?? 0) >= 1)
        #expect(worker["env_file"] != nil)

        let redis = try #require(services["redis"])
        #expect(redis["image"]?.stringValue?.hasPrefix("redis:7") == true)
        let redisCommand = (redis["command"]?.arrayValue?.compactMap(\.stringValue) ?? []).joined(separator: " ")
        #expect(redisCommand.contains("--appendonly yes"), "Redis keeps the queues in an AOF")
        #expect(redisCommand.contains("requirepass"), "Redis requires a password")
        #expect(redis["volumes"] != nil)
        #expect(redis["profiles"]?.arrayValue == [.string("redis")])
        let profiles = try DeployFiles.text("docker/example.env").split(separator: "\n").filter {
            $0.hasPrefix("COMPOSE_PROFILES=")
        }
        #expect(profiles == ["COMPOSE_PROFILES=redis"], "example.env runs the project's own Redis")

        #expect(services["simulator"]?["profiles"]?.arrayValue == [.string("simulator")])
        let coordinator = try #require(
            services.first { $0.value["command"]?.arrayValue?.first == .string("enqueue") }?.value)
        #expect(coordinator["profiles"]?.arrayValue?.isEmpty == false, "the one-shot enqueue runs only when asked for")
    }

    /// The TLS sidecar takes the Redis service's place, under its name and port, and verifies
    /// the server it reaches; the workers wait for whichever of the two runs.
    @Test(.enabled(if: YAMLDocuments.isAvailable, "\(YAMLDocuments.unavailableReason)"))
    func composeTLSSidecarStandsInForRedisAndVerifiesTheServer() throws {
        let compose = try #require(try YAMLDocuments.load(DeployFiles.url("docker/compose.yaml")).first)
        let services = try #require(compose["services"]?.objectValue)
        let sidecar = try #require(services["redis-tls"])
        #expect(sidecar["profiles"]?.arrayValue == [.string("tls")])
        #expect(sidecar["build"]?["dockerfile"]?.stringValue == "Dockerfile.stunnel")
        #expect(sidecar["image"]?.stringValue == "fcsynth-stunnel:latest")
        let mounted = try #require(sidecar["configs"]?.arrayValue?.first)
        #expect(mounted["source"]?.stringValue == "redis-tls")
        #expect(mounted["target"]?.stringValue == "/etc/stunnel/redis.conf", "where Dockerfile.stunnel's CMD reads it")

        let worker = try #require(services["worker"])
        let template = try #require(worker["environment"]?["FCSYNTH_REDIS_URL"]?.stringValue)
        let url = try RedisURL(parsing: template.replacing(#/\$\{REDIS_PASSWORD[^}]*\}/#, with: "pw"))
        let aliases = sidecar["networks"]?["default"]?["aliases"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(aliases.contains(url.host), "the sidecar answers to the host the workers' URL names (\(url.host))")
        for name in ["redis", "redis-tls"] {
            #expect(worker["depends_on"]?[name]?["required"] == .bool(false), "the worker waits for \(name) if it runs")
        }

        let configuration = try DeployTLSSidecar.compose.configuration()
        let accept = try #require(configuration.value("accept", in: "redis"))
        #expect(accept == "0.0.0.0:\(url.port)", "the sidecar listens on the port the workers' URL names")
        try DeployTLSSidecar.expectVerifying(configuration)
    }

    @Test func sidecarImageRunsStunnelUnprivileged() throws {
        let dockerfile = Dockerfile(parsing: try DeployFiles.text("docker/Dockerfile.stunnel"))
        try #require(dockerfile.stages.count == 1)
        let stage = dockerfile.stages[0]
        #expect(dockerfile.baseImage(of: stage) == "debian:bookworm-slim")
        #expect(Set(stage.aptInstalledPackages) == ["stunnel4", "ca-certificates"])
        let user = try #require(stage.instructions.last { $0.keyword == "USER" }?.arguments)
        #expect(Int(user).map { $0 > 0 } == true, "a numeric, non-root user, so that runAsNonRoot can check it")
        #expect(stage.instructions.last { $0.keyword == "ENTRYPOINT" }?.arguments == #"["stunnel4"]"#)
        #expect(stage.instructions.last { $0.keyword == "CMD" }?.arguments == #"["/etc/stunnel/redis.conf"]"#)
    }
}
