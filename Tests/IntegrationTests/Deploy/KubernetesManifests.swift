import Foundation

@testable import FcsynthCore

/// Every object in deploy/kubernetes, by kind and name.
struct KubernetesManifests {
    struct Object {
        var file: String
        var value: JSONValue

        var kind: String? { value["kind"]?.stringValue }
        var name: String? { value["metadata"]?["name"]?.stringValue }
        var namespace: String? { value["metadata"]?["namespace"]?.stringValue }
    }

    let objects: [Object]

    /// Read once for all the tests.
    static func load() throws -> KubernetesManifests {
        try loaded.get()
    }

    private static let loaded = Result { try KubernetesManifests() }

    private init() throws {
        let folder = DeployFiles.url("kubernetes")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
            .sorted()
        let documents = try YAMLDocuments.load(files.map { folder.appendingPathComponent($0) })
        objects = zip(files, documents).flatMap { file, values in values.map { Object(file: file, value: $0) } }
    }

    func all(_ kind: String) -> [Object] {
        objects.filter { $0.kind == kind }
    }

    func one(_ kind: String) throws -> Object {
        let found = all(kind)
        guard found.count == 1 else { throw DeployTestError(message: "expected one \(kind), found \(found.count)") }
        return found[0]
    }

    /// The keys a Secret defines, under data or stringData.
    func secretKeys(_ name: String) -> Set<String> {
        let secret = all("Secret").first { $0.name == name }?.value
        let data = secret?["data"]?.objectValue ?? [:]
        let stringData = secret?["stringData"]?.objectValue ?? [:]
        return Set(data.keys).union(stringData.keys)
    }
}
