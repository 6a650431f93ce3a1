import CFinchKernels
import Foundation
import Testing

@testable import FinchTensor

/// The one CPU dispatch: it follows the CPU's flags, and FINCH_DISABLE_AVX512
/// reaches every kernel family.
@Suite(.serialized) struct KernelDispatchTests {
    /// Flags the kernel reported by /proc/cpuinfo (Linux), an independent source.
    static func procFlags() -> Set<String>? {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") || $0.hasPrefix("Features") })
        else { return nil }
        return Set(line.split(separator: ":")[1].split(separator: " ").map(String.init))
    }

    @Test func dispatchFollowsTheCPUFlags() throws {
        let features = Set(KernelDispatch.cpuFeatures)
        #if os(Linux) && arch(x86_64)
            let flags = try #require(Self.procFlags())
            // /proc/cpuinfo lists what the kernel enables; our CPUID+XGETBV reading must agree.
            for (ours, linux) in [
                ("avx2", "avx2"), ("fma", "fma"), ("avx512f", "avx512f"), ("avx512bw", "avx512bw"),
                ("avx512dq", "avx512dq"), ("avx512vl", "avx512vl"), ("avx512vnni", "avx512_vnni"),
                ("avx512bf16", "avx512_bf16"),
            ] {
                #expect(
                    features.contains(ours) == flags.contains(linux),
                    "\(ours): CPUID \(features.contains(ours)), /proc \(flags.contains(linux))")
            }
        #endif
        let avx512 = ["avx512f", "avx512bw", "avx512dq", "avx512vl", "avx2", "fma"].allSatisfy(features.contains)
        let avx2 = ["avx2", "fma"].allSatisfy(features.contains)
        let expected: KernelDispatch.Level = avx512 ? .avx512 : avx2 ? .avx2 : .portable
        #expect(KernelDispatch.cpuLevel == expected)
        if !KernelDispatch.avx512DisabledByEnvironment {
            #expect(KernelDispatch.level == expected)
            #expect(KernelDispatch.gemmKernel.hasPrefix(expected.name + " "))
        }
    }

    @Test func disableAVX512ReachesEveryKernelFamily() throws {
        let saved = ProcessInfo.processInfo.environment["FINCH_DISABLE_AVX512"]
        defer {
            if let saved { setenv("FINCH_DISABLE_AVX512", saved, 1) } else { unsetenv("FINCH_DISABLE_AVX512") }
            KernelDispatch.reloadEnvironment()
        }
        unsetenv("FINCH_DISABLE_AVX512")
        KernelDispatch.reloadEnvironment()
        let before = Dictionary(uniqueKeysWithValues: KernelDispatch.Family.allCases.map { ($0, KernelDispatch.level(of: $0)) })
        setenv("FINCH_DISABLE_AVX512", "1", 1)
        KernelDispatch.reloadEnvironment()
        #expect(KernelDispatch.avx512DisabledByEnvironment)
        for family in KernelDispatch.Family.allCases {
            let after = KernelDispatch.level(of: family)
            #expect(after < .avx512, "\(family) still runs \(after.name) with FINCH_DISABLE_AVX512=1")
            let vnni = KernelDispatch.cpuFeatures.contains("avx512vnni")
            if KernelDispatch.cpuLevel == .avx512 && (family != .int8 || vnni) {
                #expect(after != before[family], "\(family): the switch did not change its path")
            }
        }
        #expect(!KernelDispatch.gemmKernel.hasPrefix("avx512"))
    }
}
