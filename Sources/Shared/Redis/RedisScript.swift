import Foundation

/// A Lua script kept as a `.lua` file in the package's resources.
public struct RedisScript: Sendable, Hashable {
    public let name: String
    public let source: String

    public init(name: String, source: String) {
        self.name = name
        self.source = source
    }

    /// Loads `Scripts/<name>.lua` from the Shared module's resource bundle, which deploy/
    /// installs beside the binaries.
    public static func bundled(_ name: String) -> RedisScript {
        guard let url = Bundle.module.url(forResource: name, withExtension: "lua", subdirectory: "Scripts")
                ?? Bundle.module.url(forResource: name, withExtension: "lua"),
              let source = try? String(contentsOf: url, encoding: .utf8) else {
            fatalError("the resource bundle lacks Scripts/\(name).lua: install fcsynth_Shared.resources beside the binaries")
        }
        return RedisScript(name: name, source: source)
    }
}
