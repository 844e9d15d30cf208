import Foundation
import Testing

@testable import FcsynthCore
@testable import FcsynthPipeline
@testable import FcsynthRedis

/// deploy/kubernetes: the manifests parse, the worker Deployment outlasts its drain and takes
/// its secrets from the Secret, and KEDA watches every stage queue of a run.
@Suite(.enabled(if: YAMLDocuments.isAvailable, "\(YAMLDocuments.unavailableReason)"))
struct DeployKubernetesTests {
    @Test func everyManifestParsesIntoNamedObjectsInOneNamespace() throws {
        let manifests = try KubernetesManifests.load()
        #expect(manifests.objects.count >= 6)
        for object in manifests.objects {
            #expect(object.value["apiVersion"]?.stringValue != nil, "\(object.file)")
            #expect(object.kind != nil && object.name != nil, "\(object.file)")
            if object.kind != "Namespace" {
                #expect(object.namespace == "fcsynth", "\(object.file): \(object.kind ?? "") \(object.name ?? "")")
            }
        }
        #expect(try manifests.one("Namespace").name == "fcsynth")
    }

    @Test func workerDeploymentOutlastsTheDrainAndReadsSecretsFromTheSecret() throws {
        let manifests = try KubernetesManifests.load()
        let deployment = try manifests.one("Deployment").value
        let pod = try #require(deployment["spec"]?["template"]?["spec"])
        let containers = try #require(pod["containers"]?.arrayValue)
        let worker = try #require(containers.first)
        let arguments = (worker["args"]?.arrayValue ?? []).compactMap(\.stringValue)
        #expect(worker["command"] == nil, "the image's ENTRYPOINT, fcsynth-worker, runs")

        let grace = try #require(pod["terminationGracePeriodSeconds"]?.numberValue)
        let problem = WorkerFlags.drainProblem(
            in: arguments, stopTimeout: grace, named: "terminationGracePeriodSeconds")
        #expect(problem == nil, "\(problem ?? "")")
        #expect(WorkerFlags.secretFlags(in: arguments).isEmpty)

        for bound in ["requests", "limits"] {
            #expect(worker["resources"]?[bound]?["memory"] != nil, "resources.\(bound).memory")
            #expect(worker["resources"]?[bound]?["cpu"] != nil, "resources.\(bound).cpu")
        }

        let environment = (worker["env"]?.arrayValue ?? []).reduce(into: [String: JSONValue]()) { result, variable in
            if let name = variable["name"]?.stringValue { result[name] = variable }
        }
        for name in ["FCSYNTH_REDIS_URL", "FCSYNTH_API_KEY"] {
            let reference = try #require(
                environment[name]?["valueFrom"]?["secretKeyRef"], "\(name) comes from a Secret")
            let secret = try #require(reference["name"]?.stringValue)
            let key = try #require(reference["key"]?.stringValue)
            #expect(manifests.secretKeys(secret).contains(key), "\(name): Secret \(secret) defines \(key)")
        }
        #expect(environment["FCSYNTH_LLM_URL"] != nil)
        for (name, variable) in environment {
            #expect(
                variable["value"]?.stringValue?.contains("redis://") != true,
                "\(name) names Redis only through the Secret")
        }
    }

    /// The worker reaches Redis through a native sidecar that starts before it and stops after
    /// its drain, on the pod's loopback, and that verifies the server it tunnels to.
    @Test func workerReachesRedisThroughAVerifyingTLSSidecar() throws {
        let manifests = try KubernetesManifests.load()
        let pod = try #require(try manifests.one("Deployment").value["spec"]?["template"]?["spec"])
        let sidecars = try #require(pod["initContainers"]?.arrayValue)
        let sidecar = try #require(sidecars.first { $0["name"]?.stringValue == "redis-tls" })
        #expect(sidecar["restartPolicy"]?.stringValue == "Always", "a native sidecar outlives the worker's drain")
        #expect(sidecar["image"]?.stringValue == "fcsynth-stunnel:latest")
        let configFile = try #require(sidecar["args"]?.arrayValue?.first?.stringValue)
        let mount = try #require(
            sidecar["volumeMounts"]?.arrayValue?.first {
                configFile.hasPrefix(($0["mountPath"]?.stringValue ?? "") + "/")
            })
        #expect(mount["readOnly"] == .bool(true))
        let volume = try #require(
            pod["volumes"]?.arrayValue?.first { $0["name"] == mount["name"] }, "the config's volume is in the pod")
        let configMapName = try #require(volume["configMap"]?["name"]?.stringValue)
        let configMap = try #require(manifests.all("ConfigMap").first { $0.name == configMapName })
        let fileName = String(configFile.split(separator: "/").last ?? "")
        #expect(configMap.value["data"]?[fileName]?.stringValue != nil, "ConfigMap \(configMapName) holds \(fileName)")
        #expect(sidecar["securityContext"]?["readOnlyRootFilesystem"] == .bool(true))
        #expect(sidecar["resources"]?["limits"]?["memory"] != nil)

        let configuration = try DeployTLSSidecar.kubernetes.configuration()
        try DeployTLSSidecar.expectVerifying(configuration)
        let secretText = try #require(
            manifests.all("Secret").first { $0.name == "fcsynth" }?.value["stringData"]?["redis-url"]?.stringValue)
        let url = try RedisURL(parsing: secretText)
        #expect(
            configuration.value("accept", in: "redis") == "127.0.0.1:\(url.port)" && url.host == "127.0.0.1",
            "the Secret's redis-url (\(url)) names the sidecar's end on the pod's loopback")
    }

    @Test func scaledObjectWatchesEveryStageQueueOfTheRun() throws {
        let manifests = try KubernetesManifests.load()
        let scaledObject = try manifests.one("ScaledObject")
        let spec = try #require(scaledObject.value["spec"])
        #expect(scaledObject.value["apiVersion"]?.stringValue == "keda.sh/v1alpha1")
        #expect(spec["scaleTargetRef"]?["name"]?.stringValue == (try manifests.one("Deployment").name))
        #expect(spec["minReplicaCount"]?.numberValue == 0)
        #expect((spec["maxReplicaCount"]?.numberValue ?? 0) >= 1)

        let authentications = Set(manifests.all("TriggerAuthentication").compactMap(\.name))
        let redisService = try #require(manifests.all("Service").first { $0.name == "fcsynth-redis" })
        // The file names the run as ${FCSYNTH_RUN}, for envsubst; apply it as an operator would.
        let runVariable = "${FCSYNTH_RUN}"
        #expect(scaledObject.value["metadata"]?["labels"]?["fcsynth-run"]?.stringValue == runVariable)
        let run = "example-run"
        var stagesWatched: [String] = []
        for trigger in try #require(spec["triggers"]?.arrayValue) {
            #expect(trigger["type"]?.stringValue == "redis")
            let metadata = try #require(trigger["metadata"])
            let listName = try #require(metadata["listName"]?.stringValue).replacingOccurrences(
                of: runVariable, with: run)
            let stage = try #require(
                StageName.allCases.first { RunKeys(run: run).queue($0) == listName }, "\(listName) is a stage queue")
            stagesWatched.append(stage.rawValue)
            #expect(
                metadata["listLength"]?.stringValue.flatMap(Int.init).map { $0 > 0 } == true, "\(listName): listLength")
            #expect(
                metadata["activationListLength"]?.stringValue.flatMap(Int.init) != nil,
                "\(listName): activationListLength")
            let address = metadata["address"]?.stringValue ?? metadata["host"]?.stringValue
            #expect(
                address?.hasPrefix("\(redisService.name ?? "").\(redisService.namespace ?? "").") == true,
                "\(listName): \(address ?? "no address")")
            let authentication = try #require(trigger["authenticationRef"]?["name"]?.stringValue)
            #expect(
                authentications.contains(authentication), "\(listName): TriggerAuthentication \(authentication) exists")
        }
        #expect(stagesWatched.sorted() == StageName.allCases.map(\.rawValue).sorted(), "one trigger per stage queue")
    }

    @Test func triggerAuthenticationTakesThePasswordFromTheSecret() throws {
        let manifests = try KubernetesManifests.load()
        let references = try #require(
            try manifests.one("TriggerAuthentication").value["spec"]?["secretTargetRef"]?.arrayValue)
        let password = try #require(references.first { $0["parameter"]?.stringValue == "password" })
        let secret = try #require(password["name"]?.stringValue)
        let key = try #require(password["key"]?.stringValue)
        #expect(manifests.secretKeys(secret).contains(key), "Secret \(secret) defines \(key)")
    }

    @Test func inClusterRedisKeepsAnAppendOnlyFileOnAVolumeAndRequiresThePassword() throws {
        let manifests = try KubernetesManifests.load()
        let redis = try manifests.one("StatefulSet").value
        let container = try #require(redis["spec"]?["template"]?["spec"]?["containers"]?.arrayValue?.first)
        let commandLine = ((container["command"]?.arrayValue ?? []) + (container["args"]?.arrayValue ?? []))
            .compactMap(\.stringValue).joined(separator: " ")
        #expect(commandLine.contains("--appendonly yes"))
        #expect(commandLine.contains("requirepass $REDIS_PASSWORD"))
        #expect(container["env"]?.arrayValue?.contains { $0["valueFrom"]?["secretKeyRef"] != nil } == true)
        #expect(redis["spec"]?["volumeClaimTemplates"]?.arrayValue?.isEmpty == false)
        #expect(container["volumeMounts"]?.arrayValue?.contains { $0["mountPath"]?.stringValue == "/data" } == true)
    }
}
