import Foundation
import TestSupport
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline

/// deploy/systemd: install.sh puts the two binaries in place, and nothing else travels with
/// them; the units pass `systemd-analyze verify` against them and give a draining worker time
/// to finish.
@Suite struct DeploySystemdTests {
    static let systemdAnalyze = SystemTool(named: "systemd-analyze")
    static let workerUnit = "fcsynth-worker@.service"
    static let simulatorUnit = "fcsynth-simulator.service"

    @Test func installerPlacesTheTwoBinariesUnitsAndAPrivateEnvironmentFile() throws {
        let root = try Self.install()
        defer { try? FileManager.default.removeItem(at: root) }
        let files = FileManager.default
        let bin = root.appendingPathComponent("usr/local/bin")
        #expect(try files.contentsOfDirectory(atPath: bin.path).sorted() == ["fcsynth", "fcsynth-worker"])
        for binary in ["fcsynth", "fcsynth-worker"] {
            #expect(files.isExecutableFile(atPath: bin.appendingPathComponent(binary).path), "\(binary)")
        }
        for unit in [Self.workerUnit, Self.simulatorUnit] {
            #expect(files.fileExists(atPath: root.appendingPathComponent("etc/systemd/system/\(unit)").path), "\(unit)")
        }
        let environment = root.appendingPathComponent("etc/fcsynth/worker.env").path
        let mode = try files.attributesOfItem(atPath: environment)[.posixPermissions] as? Int
        #expect(mode == 0o600, "worker.env holds secrets, so only its owner may read it")
    }

    /// Installed from a folder holding the two binaries and nothing else, the copies run a
    /// run on the test Redis: enqueue and the worker load their Lua scripts as they start and
    /// use them, with no build folder or resource bundle to find them in.
    @Test func theTwoBinariesAloneInstallAndRunARun() async throws {
        let from = try DeployFiles.scratchDirectory("fcsynth-binaries")
        defer { try? FileManager.default.removeItem(at: from) }
        for binary in ["fcsynth", "fcsynth-worker"] {
            try FileManager.default.copyItem(
                at: TestEnvironment.executable(binary), to: from.appendingPathComponent(binary))
        }
        let root = try Self.install(from: from)
        defer { try? FileManager.default.removeItem(at: root) }
        let bin = root.appendingPathComponent("usr/local/bin")
        let help = try SystemTool(at: bin.appendingPathComponent("fcsynth-worker")).run(["--help"])
        #expect(help.status == 0 && help.standardOutput.contains("USAGE: fcsynth-worker"), "\(help.standardError)")

        let fixture = try PipelineFixture()
        let run = TestEnvironment.uniqueName("installed")
        let rows = try SeedRows.write(8, to: fixture.file("rows.jsonl"))
        let enqueue = try fixture.spawn(
            bin.appendingPathComponent("fcsynth"),
            ["enqueue", rows.path, "--run", run, "--namespace", fixture.namespace],
            environment: fixture.environment, name: "installed-enqueue")
        #expect(try await PipelineFixture.waitForExit(enqueue, timeout: 60))
        #expect(enqueue.terminationStatus == 0, "\(enqueue.output)")
        #expect(try await fixture.store(run).firstQueueLength() == 8)

        let worker = try fixture.spawn(
            bin.appendingPathComponent("fcsynth-worker"),
            ["--namespace", fixture.namespace, "--simulate", "--lease", "3", "--log-level", "notice"],
            environment: fixture.environment, name: "installed-worker")
        let status = try await fixture.waitUntilComplete(run, timeout: 60)
        status.expectAccounted()
        #expect(status.output > 0)
        #expect(try await fixture.stop(WorkerProcess(id: "installed", process: worker)) == 0, "\(worker.output)")
    }

    @Test(.enabled(if: systemdAnalyze != nil, "systemd-analyze is not installed (Debian package systemd)"))
    func unitsPassSystemdAnalyzeVerify() throws {
        let root = try Self.install()
        defer { try? FileManager.default.removeItem(at: root) }
        let installedBin = root.appendingPathComponent("usr/local/bin").path + "/"
        let units = root.appendingPathComponent("verify")
        try FileManager.default.createDirectory(at: units, withIntermediateDirectories: true)
        // verify checks that ExecStart's binary exists, so the copies name the installed ones.
        for unit in [Self.workerUnit, Self.simulatorUnit] {
            let text = try String(
                contentsOf: root.appendingPathComponent("etc/systemd/system/\(unit)"), encoding: .utf8)
            #expect(text.contains("ExecStart=/usr/local/bin/"), "\(unit) runs the installed binary")
            try text.replacingOccurrences(of: "/usr/local/bin/", with: installedBin)
                .write(to: units.appendingPathComponent(unit), atomically: true, encoding: .utf8)
        }
        for unit in ["fcsynth-worker@1.service", Self.simulatorUnit] {
            let output = try Self.verify(units.appendingPathComponent(unit))
            #expect(output.status == 0, "\(unit): \(output.standardError)")
            let complaints = output.standardError.split(separator: "\n").filter { $0.contains("fcsynth") }
            #expect(complaints.isEmpty, "\(unit): \(complaints)")
        }

        // The same check on a unit whose binary is missing must fail, or the passes above mean nothing.
        let broken = try String(contentsOf: units.appendingPathComponent(Self.simulatorUnit), encoding: .utf8)
            .replacingOccurrences(of: installedBin, with: "/nonexistent/")
        let brokenURL = units.appendingPathComponent("fcsynth-broken.service")
        try broken.write(to: brokenURL, atomically: true, encoding: .utf8)
        #expect(try Self.verify(brokenURL).status != 0)
    }

    @Test func workerUnitOutlastsTheDrainAndKeepsSecretsOffTheCommandLine() throws {
        let unit = SystemdUnit(parsing: try DeployFiles.text("systemd/\(Self.workerUnit)"))
        let execStart = try #require(unit["Service", "ExecStart"])
        var arguments = execStart.split(separator: " ").map(String.init)
        #expect(arguments.first == "/usr/local/bin/fcsynth-worker")
        #expect(arguments.contains("%H-%i"), "each instance gets a distinct worker id")

        // $FCSYNTH_WORKER_ARGS in ExecStart expands to the environment file's extra flags.
        let environment = try Self.exampleEnvironment()
        if arguments.contains("$FCSYNTH_WORKER_ARGS") {
            arguments += (environment["FCSYNTH_WORKER_ARGS"] ?? "").split(separator: " ").map(String.init)
        }
        let stopTimeout = try #require(unit["Service", "TimeoutStopSec"].flatMap(DurationText.seconds))
        let problem = WorkerFlags.drainProblem(in: arguments, stopTimeout: stopTimeout, named: "TimeoutStopSec")
        #expect(problem == nil, "\(problem ?? "")")
        #expect(unit["Service", "KillSignal"] == "SIGTERM")
        #expect(unit["Service", "Restart"] == "on-failure")
        #expect(WorkerFlags.secretFlags(in: arguments).isEmpty)

        #expect(
            unit.values("Service", "EnvironmentFile") == ["/etc/fcsynth/worker.env", "-/etc/fcsynth/worker-%i.env"])
        #expect(unit["Service", "NoNewPrivileges"] == "yes")
        #expect(unit["Service", "ProtectSystem"] == "strict")
        #expect(unit["Service", "PrivateTmp"] == "yes")
        #expect(unit["Service", "DynamicUser"] == "yes" || unit["Service", "User"] != nil)
    }

    @Test func exampleEnvironmentNamesTheSettingsAndHoldsNoSecret() throws {
        let environment = try Self.exampleEnvironment()
        for name in ["FCSYNTH_REDIS_URL", "FCSYNTH_LLM_URL", "FCSYNTH_MODEL", "FCSYNTH_API_KEY"] {
            #expect(environment[name] != nil, "\(name) is in worker.env")
        }
        #expect(environment["FCSYNTH_API_KEY"] == "")
        #expect(
            environment["FCSYNTH_REDIS_URL"]?.contains("CHANGE-ME") == true, "a placeholder password, not a real one")
    }

    /// Runs install.sh with the binaries in `from` (the test build's) into a scratch root.
    static func install(from: URL = TestEnvironment.productsDirectory) throws -> URL {
        let root = try DeployFiles.scratchDirectory("fcsynth-install")
        let bash = try #require(SystemTool(named: "bash"))
        let output = try bash.run([
            DeployFiles.url("systemd/install.sh").path,
            "--from", from.path,
            "--root", root.path,
        ])
        try #require(output.status == 0, "install.sh failed: \(output.standardError)")
        return root
    }

    static func verify(_ unit: URL) throws -> SystemTool.Output {
        try #require(systemdAnalyze).run(["verify", unit.path])
    }

    /// worker.env's assignments, as systemd's EnvironmentFile reads them.
    static func exampleEnvironment() throws -> [String: String] {
        var values: [String: String] = [:]
        for line in try DeployFiles.text("systemd/worker.env").split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#"), let equals = trimmed.firstIndex(of: "=") else { continue }
            values[String(trimmed[..<equals])] = String(trimmed[trimmed.index(after: equals)...])
        }
        return values
    }
}
