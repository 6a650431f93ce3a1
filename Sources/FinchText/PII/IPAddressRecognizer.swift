#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// IPv4 addresses (four decimal octets 0–255, no leading zeros) and IPv6
/// addresses (any form `inet_pton` accepts: compressed `::`, embedded IPv4),
/// not inside a longer run of letters, digits, dots or colons.
public struct IPAddressRecognizer: PIIRecognizer {
    public let name = "IpRecognizer"
    public let supportedTypes: Set<PIIEntityType> = [.ipAddress]

    /// The recognizer.
    public init() {}

    private static let v4 = PIIPattern(
        #"(?<![A-Za-z0-9.])(?:[0-9]{1,3}\.){3}[0-9]{1,3}(?![A-Za-z0-9])(?!\.[0-9])"#)
    private static let v6 = PIIPattern(#"(?<![A-Za-z0-9:.])[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*(?![A-Za-z0-9:])"#)

    public func findings(in text: PIIText) -> [PIIFinding] {
        var out: [PIIFinding] = []
        for m in Self.v4.matches(in: text) where Self.isIPv4(text.slice(m.start, m.end)) {
            out.append(PIIFinding(type: .ipAddress, start: m.start, end: m.end, score: 0.95, recognizer: name))
        }
        for m in Self.v6.matches(in: text) {
            var end = m.end
            while end > m.start && text.scalars[end - 1] == "." { end -= 1 }  // a full stop after the address
            let candidate = text.slice(m.start, end)
            guard candidate.filter({ $0 == ":" }).count >= 2, candidate.contains(where: { $0.isHexDigit }),
                Self.isIPv6(candidate)
            else { continue }
            out.append(PIIFinding(type: .ipAddress, start: m.start, end: end, score: 0.95, recognizer: name))
        }
        return PIIAnalyzer.resolveOverlaps(out)
    }

    /// Four octets 0...255 without leading zeros.
    static func isIPv4(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4
            && parts.allSatisfy { p in
                guard let v = Int(p), v <= 255 else { return false }
                return p == "0" || !p.hasPrefix("0")
            }
    }

    /// What the C library accepts as an IPv6 address.
    static func isIPv6(_ s: String) -> Bool {
        var buffer = in6_addr()
        return inet_pton(AF_INET6, s, &buffer) == 1
    }
}
