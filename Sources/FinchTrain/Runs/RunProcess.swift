import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The process that records a run, told apart from a later process that got
/// the same id: the host, the boot (Linux's `boot_id`), the pid and the
/// process's start time (clock ticks since boot, field 22 of `/proc/PID/stat`).
/// A run left `running` whose process is gone was killed or crashed.
public struct RunProcess: Codable, Sendable, Equatable {
    /// The host name.
    public var host: String
    /// `/proc/sys/kernel/random/boot_id`, empty where there is none.
    public var bootID: String
    /// The process id.
    public var pid: Int32
    /// The process's start time in clock ticks since boot, nil where unknown.
    public var startTicks: Int64?

    enum CodingKeys: String, CodingKey {
        case host, pid
        case bootID = "boot_id", startTicks = "start_ticks"
    }

    /// A process identity from its parts.
    public init(host: String, bootID: String, pid: Int32, startTicks: Int64?) {
        self.host = host
        self.bootID = bootID
        self.pid = pid
        self.startTicks = startTicks
    }

    /// This process.
    public static var current: RunProcess {
        let pid = getpid()
        return RunProcess(host: hostName(), bootID: bootID(), pid: pid, startTicks: startTicks(of: pid))
    }

    /// Whether the process is still alive, as far as this machine can tell:
    /// nil when it ran on another host (nothing to check), false when this
    /// host rebooted since, or no process has its pid, or the one that has it
    /// started at another time (the pid was reused).
    public func isAlive(seenFrom here: RunProcess = .current) -> Bool? {
        guard host == here.host else { return nil }
        if !bootID.isEmpty && !here.bootID.isEmpty && bootID != here.bootID { return false }
        if pid == here.pid { return startTicks == here.startTicks }
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let recorded = startTicks, let now = Self.startTicks(of: pid) else { return true }
        return recorded == now
    }

    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func bootID() -> String {
        let text = try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8)
        return text?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    }

    /// Field 22 of `/proc/PID/stat`, read after the command name (which may hold spaces and parentheses).
    static func startTicks(of pid: Int32) -> Int64? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state), so field 22 is fields[19].
        return fields.count > 19 ? Int64(fields[19]) : nil
    }
}
