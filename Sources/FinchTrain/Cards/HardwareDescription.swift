import Foundation

/// One line saying what machine a run used, for its model card: the CPU
/// model (Linux `/proc/cpuinfo`), the cores the process may use, the memory
/// and the operating system version.
public enum HardwareDescription {
    /// This machine, e.g. `Intel(R) Xeon(R) … · 2 cores · 7.8 GiB memory · Linux 6.8`.
    public static func current() -> String {
        let info = ProcessInfo.processInfo
        var parts: [String] = []
        if let model = cpuModel() { parts.append(model) }
        parts.append("\(info.activeProcessorCount) cores")
        parts.append(String(format: "%.1f GiB memory", Double(info.physicalMemory) / 1_073_741_824))
        #if os(Linux)
            parts.append("Linux " + info.operatingSystemVersionString)
        #else
            parts.append(info.operatingSystemVersionString)
        #endif
        return parts.joined(separator: " · ")
    }

    /// The `model name` line of `/proc/cpuinfo`, nil where there is none.
    static func cpuModel() -> String? {
        guard let data = FileManager.default.contents(atPath: "/proc/cpuinfo") else { return nil }
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where line.hasPrefix("model name") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            return name.isEmpty ? nil : name
        }
        return nil
    }
}
