import Foundation
import Testing

/// Two network namespaces joined by a veth pair are what two machines look like to MPI:
/// separate interfaces and addresses, TCP between them. The test makes them, runs one rank
/// in each (`mpirun` in the first; its remote launch goes through a small agent that runs
/// `orted` with `ip netns exec` in the second, where ssh would log in to another machine),
/// and removes them whatever happens.
@Suite(.serialized) struct NetworkNamespaceTrainingTests {
    /// Two namespaces with a veth pair 10.231.N.1 ↔ 10.231.N.2.
    final class NamespacePair {
        let tag = String(ProcessInfo.processInfo.processIdentifier % 100_000)
        var first: String { "finch-a-\(tag)" }
        var second: String { "finch-b-\(tag)" }
        var subnet: Int { Int(tag)! % 250 + 1 }
        var firstAddress: String { "10.231.\(subnet).1" }
        var secondAddress: String { "10.231.\(subnet).2" }
        var network: String { "10.231.\(subnet).0/24" }

        init() throws {
            remove()
            let (vethA, vethB) = ("fva\(tag)", "fvb\(tag)")
            let steps = [
                ["netns", "add", first], ["netns", "add", second],
                ["link", "add", vethA, "type", "veth", "peer", "name", vethB],
                ["link", "set", vethA, "netns", first], ["link", "set", vethB, "netns", second],
                ["-n", first, "addr", "add", firstAddress + "/24", "dev", vethA],
                ["-n", second, "addr", "add", secondAddress + "/24", "dev", vethB],
                ["-n", first, "link", "set", vethA, "up"], ["-n", second, "link", "set", vethB, "up"],
                ["-n", first, "link", "set", "lo", "up"], ["-n", second, "link", "set", "lo", "up"],
            ]
            for step in steps {
                let (status, _, err) = try MPIRun.run(["/usr/sbin/ip"] + step, timeout: 30)
                if status != 0 {
                    remove()
                    throw NamespaceError(message: "ip \(step.joined(separator: " ")): \(err)")
                }
            }
        }

        /// Deletes both namespaces (their veth ends go with them); safe to call twice.
        func remove() {
            for name in [first, second] { _ = try? MPIRun.run(["/usr/sbin/ip", "netns", "delete", name], timeout: 30) }
        }
    }

    struct NamespaceError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    /// The remote-launch agent: `agent HOST COMMAND…` runs COMMAND (a shell line, as ssh
    /// would pass it) in the namespace that holds HOST's address.
    static func agent(for pair: NamespacePair) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("finch-netns-agent-\(pair.tag).sh").path
        let script = """
            #!/bin/sh
            host="$1"; shift
            case "$host" in
              \(pair.secondAddress)) exec /usr/sbin/ip netns exec \(pair.second) /bin/sh -c "$*" ;;
              *) exec /usr/sbin/ip netns exec \(pair.first) /bin/sh -c "$*" ;;
            esac

            """
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    @Test func twoRanksInTwoNamespacesEqualOneProcess() async throws {
        let launcher = try #require(MPIRun.mpirun, "Open MPI is not installed")
        let reference = try await DistributedTrainingCLITests.reference()
        let pair = try NamespacePair()
        defer { pair.remove() }
        let agent = try Self.agent(for: pair)
        defer { try? FileManager.default.removeItem(atPath: agent) }
        let out = DistributedTrainingCLITests.temp()
        var command = [
            "/usr/sbin/ip", "netns", "exec", pair.first, launcher, "-np", "2", "--host", "\(pair.firstAddress):1,\(pair.secondAddress):1",
            "--bind-to", "none", "--mca", "plm_rsh_agent", agent, "--mca", "plm_rsh_no_tree_spawn", "1",
        ]
        command += MPIRun.tcpOnly(pair.network)
        for name in MPIRun.environment.keys.sorted() { command += ["-x", name] }
        // Each rank reports where it ran: proof that rank 1 lived in the second namespace.
        command += ["/bin/sh", "-c", "ip -o -4 addr show | grep -o '10\\.231\\.[0-9]*\\.[0-9]' >&2; exec \"$0\" \"$@\"", CLI.binary.path]
        command += DistributedTrainingCLITests.arguments(out: out)
        let launch = command
        let (status, _, stderr) = try await offPool { try MPIRun.run(launch, environment: MPIRun.environment) }
        #expect(status == 0, "\(stderr)")
        #expect(stderr.contains(pair.firstAddress) && stderr.contains(pair.secondAddress), "\(stderr)")
        #expect(try DistributedTrainingCLITests.maxDifference(reference, out) <= 1e-5)
    }
}
