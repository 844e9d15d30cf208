import Foundation
import Shared

/// YAML files read through python3's PyYAML (Swift has no YAML parser in this package's
/// dependencies), as JSON values.
enum YAMLDocuments {
    static let unavailableReason =
        "python3 with PyYAML is needed to parse the deploy YAML (apt-get install python3-yaml, or pip install pyyaml)"

    static let isAvailable: Bool = {
        guard let python = SystemTool(named: "python3") else { return false }
        return (try? python.run(["-c", "import yaml"]).status) == 0
    }()

    /// Every document in the file, in order.
    static func load(_ url: URL) throws -> [JSONValue] {
        guard let python = SystemTool(named: "python3") else { throw DeployTestError(message: unavailableReason) }
        let script = "import json, sys, yaml; print(json.dumps(list(yaml.safe_load_all(open(sys.argv[1])))))"
        let output = try python.run(["-c", script, url.path])
        guard output.status == 0 else {
            throw DeployTestError(message: "\(url.lastPathComponent) does not parse as YAML: \(output.standardError)")
        }
        guard case .array(let documents) = try JSONCoding.decode(JSONValue.self, from: output.standardOutput) else {
            throw DeployTestError(message: "PyYAML did not return a list of documents for \(url.lastPathComponent)")
        }
        return documents.filter { $0 != .null }
    }
}
