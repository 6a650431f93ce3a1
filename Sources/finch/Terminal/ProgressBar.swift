import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A progress bar on standard error. On a terminal it redraws one line in
/// place; otherwise (a log file, CI) it prints a plain line every 5 %.
final class ProgressBar {
    private let total: Int
    private let label: String
    private let isTerminal = isatty(STDERR_FILENO) != 0
    private var lastPercentPrinted = -1
    private let width = 28

    init(total: Int, label: String) {
        self.total = max(total, 1)
        self.label = label
    }

    /// Shows `done` of `total`, with `details` (for example "loss 0.41 lr 2.0e-05").
    func update(_ done: Int, details: String = "", secondsRemaining: Double? = nil) {
        let fraction = min(1, Double(done) / Double(total))
        let percent = Int(fraction * 100)
        let eta = secondsRemaining.map { " ETA \(Self.duration($0))" } ?? ""
        if isTerminal {
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            Self.write("\r\u{1B}[2K\(label) \(bar) \(done)/\(total) \(details)\(eta)")
        } else if percent / 5 > lastPercentPrinted / 5 || done == total {
            lastPercentPrinted = percent
            Self.write("\(label) \(percent)% (\(done)/\(total)) \(details)\(eta)\n")
        }
    }

    /// Ends the bar's line (on a terminal).
    func finish() {
        if isTerminal { Self.write("\n") }
    }

    /// Prints a message on its own line without breaking the bar.
    func message(_ text: String) {
        Self.write(isTerminal ? "\r\u{1B}[2K\(text)\n" : "\(text)\n")
    }

    static func write(_ s: String) {
        StandardError.write(s)
    }

    /// "1h02m", "3m05s", "42s".
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let s = Int(seconds.rounded())
        if s >= 3600 { return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60) }
        if s >= 60 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return "\(s)s"
    }
}
