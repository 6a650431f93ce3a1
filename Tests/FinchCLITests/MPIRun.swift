import Foundation
import Testing

/// Launches the built `finch` under Open MPI's `mpirun` for the distributed tests: ranks
/// single-threaded (Finch's pool and OpenBLAS), MPI over TCP only (the shared-memory
/// transport is the one thing two machines would not have), root allowed.
enum MPIRun {
    /// `mpirun`'s path, or nil when Open MPI is not installed (`Tools/test.sh` installs it).
    static var mpirun: String? {
        ["/usr/bin/mpirun", "/usr/local/bin/mpirun"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The environment of every rank (and of a reference run).
    static let environment = [
        "OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1", "FINCH_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
        "FINCH_RUNS_DIR": CLI.runsFolder,
    ]

    /// Options that keep MPI on TCP over `network` (a CIDR, or an interface name).
    static func tcpOnly(_ network: String) -> [String] {
        ["--mca", "btl", "tcp,self", "--mca", "btl_tcp_if_include", network, "--mca", "oob_tcp_if_include", network]
    }

    /// `mpirun -np N` on this machine over loopback TCP, running finch with `arguments`.
    static func local(ranks: Int, _ arguments: [String], extraEnvironment: [String: String] = [:]) throws -> (Int32, String, String) {
        let launcher = try #require(mpirun, "Open MPI is not installed: apt-get install libopenmpi-dev openmpi-bin")
        var command = [launcher, "-np", String(ranks), "--oversubscribe", "--bind-to", "none"] + tcpOnly("lo")
        for name in environment.keys.sorted() + extraEnvironment.keys.sorted() { command += ["-x", name] }
        command += [CLI.binary.path] + arguments
        return try run(command, environment: environment.merging(extraEnvironment) { $1 })
    }

    /// Runs `command` with `environment` added; stops it after `timeout` seconds (a hung
    /// collective must fail the test, not the whole run). Returns (status, stdout, stderr).
    static func run(_ command: [String], environment: [String: String] = [:], timeout: Double = 300) throws -> (Int32, String, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: command[0])
        p.arguments = Array(command.dropFirst())
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let outFile = FileManager.default.temporaryDirectory.appendingPathComponent("finch-mpi-\(UUID().uuidString).out")
        let errFile = FileManager.default.temporaryDirectory.appendingPathComponent("finch-mpi-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: outFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errFile.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outFile)
            try? FileManager.default.removeItem(at: errFile)
        }
        p.standardOutput = try FileHandle(forWritingTo: outFile)
        p.standardError = try FileHandle(forWritingTo: errFile)
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < deadline { usleep(20_000) }
        if p.isRunning {
            p.terminate()
            p.waitUntilExit()
            Issue.record("\(command.joined(separator: " ")) ran past \(timeout) s and was stopped")
        }
        p.waitUntilExit()
        let out = (try? String(contentsOf: outFile, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOf: errFile, encoding: .utf8)) ?? ""
        return (p.terminationStatus, out, err)
    }
}

/// Runs blocking work (a wait for a child process) on a thread of its own and awaits it. Tests
/// that wait for `mpirun` for minutes on Swift's cooperative pool (as wide as the CPU count: 2
/// here) stalled every other suite's tasks — servers, timers, clients — for 250 s, and the
/// timing-bound tests among them failed. `CLI.runAsync` does the same for single commands.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}
