import Foundation

@testable import FcsynthCore

/// YAML files read through python3's PyYAML (Swift has no YAML parser in this package's
/// dependencies), as JSON values.
enum YAMLDocuments {
    static let unavailableReason =
        "python3 with PyYAML is needed to parse the deploy YAML (apt-get install python3-yaml, or pip install pyyaml)"

    static let isAvailable: Bool = {
        guard let python = SystemTool(named: "python3") else { return false }
        return (try? python.run(["-c", "import yaml"]).status) == 0
    }()

    /// Every document in each file, in order; one python3 run for all of them.
    static func load(_ urls: [URL]) throws -> [[JSONValue]] {
        guard let python = SystemTool(named: "python3") else { throw DeployTestError(message: unavailableReason) }
        let script =
            "import json, sys, yaml; print(json.dumps([list(yaml.safe_load_all(open(f))) for f in sys.argv[1:]]))"
        let output = try python.run(["-c", script] + urls.map(\.path))
        guard output.status == 0 else {
            throw DeployTestError(message: "the deploy YAML does not parse: \(output.standardError)")
        }
        guard case .array(let files) = try JSONCoding.decode(JSONValue.self, from: output.standardOutput),
            files.count == urls.count
        else {
            throw DeployTestError(message: "PyYAML did not return one list of documents per file")
        }
        return files.map { ($0.arrayValue ?? []).filter { $0 != .null } }
    }

    static func load(_ url: URL) throws -> [JSONValue] {
        try load([url])[0]
    }
}
