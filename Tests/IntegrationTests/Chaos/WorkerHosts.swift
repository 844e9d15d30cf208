import Foundation

/// Worker "machines" on one box: each a network namespace linked to the root namespace by a
/// veth pair with a /30 of its own, and a service address on the root namespace's loopback
/// interface for Redis and the LLM to listen on. Every address is inside 10.201.0.0/16 and
/// lives only in this machine's namespaces. Cutting a host takes its root-side link down, as a
/// pulled cable would.
final class WorkerHosts: @unchecked Sendable {
    struct Host {
        let namespace: String
        /// The root-namespace end of the host's veth pair: what `cut` takes down.
        let rootLink: String
        let address: String
    }

    let serviceAddress: String
    private(set) var hosts: [Host] = []
    private let tag: String

    /// Whether this machine lets the test make namespaces: root, iproute2, and a trial
    /// namespace (containers may forbid them even to root). Evaluated once, when first asked.
    static let isAvailable: Bool = {
        guard geteuid() == 0, let ip = ipPath else { return false }
        let probe = "fcs-probe-\(getpid())"
        guard (try? command(ip, ["netns", "add", probe])) != nil else { return false }
        _ = try? command(ip, ["netns", "del", probe])
        return true
    }()

    private static let ipPath = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// Builds `count` hosts; on failure, removes whatever it had built.
    init(count: Int) throws {
        tag = String(UInt16.random(in: 0...UInt16.max), radix: 16)
        let subnet = try Self.freeSubnet()
        serviceAddress = "10.201.\(subnet).250"
        do {
            try ip(["addr", "add", "\(serviceAddress)/32", "dev", "lo"])
            for index in 0..<count {
                let host = Host(
                    namespace: "fcs-chaos-\(tag)-\(index)", rootLink: "fcs\(tag)r\(index)",
                    address: "10.201.\(subnet).\(index * 4 + 2)")
                let gateway = "10.201.\(subnet).\(index * 4 + 1)"
                let inner = "fcs\(tag)n\(index)"
                try ip(["netns", "add", host.namespace])
                hosts.append(host)
                try ip(["link", "add", host.rootLink, "type", "veth", "peer", "name", inner])
                try ip(["link", "set", inner, "netns", host.namespace])
                try ip(["addr", "add", "\(gateway)/30", "dev", host.rootLink])
                try ip(["link", "set", host.rootLink, "up"])
                try ip(["-n", host.namespace, "link", "set", "lo", "up"])
                try ip(["-n", host.namespace, "addr", "add", "\(host.address)/30", "dev", inner])
                try ip(["-n", host.namespace, "link", "set", inner, "up"])
                try ip(["-n", host.namespace, "route", "add", "default", "via", gateway])
            }
        } catch {
            tearDown()
            throw error
        }
    }

    /// The prefix that runs a program inside the host's namespace.
    func launcher(for host: Host) -> [String] {
        [Self.ipPath ?? "ip", "netns", "exec", host.namespace]
    }

    func cut(_ host: Host) throws {
        try ip(["link", "set", host.rootLink, "down"])
    }

    func restore(_ host: Host) throws {
        try ip(["link", "set", host.rootLink, "up"])
    }

    /// Deleting a namespace deletes the veth pair whose end it holds.
    func tearDown() {
        for host in hosts {
            _ = try? ip(["netns", "del", host.namespace])
            _ = try? ip(["link", "del", host.rootLink])
        }
        hosts = []
        _ = try? ip(["addr", "del", "\(serviceAddress)/32", "dev", "lo"])
    }

    deinit {
        tearDown()
    }

    @discardableResult
    private func ip(_ arguments: [String]) throws -> String {
        try Self.command(Self.ipPath ?? "ip", arguments)
    }

    /// A 10.201.N.0/24 that no interface on this machine uses.
    private static func freeSubnet() throws -> Int {
        let used = try command(ipPath ?? "ip", ["-4", "-o", "addr", "show"])
        for _ in 0..<64 {
            let candidate = Int.random(in: 1...254)
            if !used.contains("10.201.\(candidate).") { return candidate }
        }
        throw ChaosFailure.setup("no free 10.201.N.0/24 subnet")
    }

    private static func command(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw ChaosFailure.setup("ip \(arguments.joined(separator: " ")): \(text)")
        }
        return text
    }
}
