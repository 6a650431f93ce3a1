import Foundation
import Testing

/// `finch doctor` in a fresh process: the dispatch it reports, the switch
/// FINCH_DISABLE_AVX512 reaching every kernel family, and the OpenBLAS
/// fallback warning (simulated with OPENBLAS_CORETYPE=Prescott).
@Suite struct DoctorCLITests {
    static func report(_ environment: [String: String] = [:]) throws -> ([String: Any], String) {
        var env = ["FINCH_DISABLE_AVX512": "", "FINCH_GEMM": "", "FINCH_DISABLE_VNNI": ""]
        env.merge(environment) { $1 }
        let (status, out, err) = try CLI.run(["doctor", "--json"], environment: env)
        #expect(status == 0, "doctor failed: \(err)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        return (object, err)
    }

    @Test func textReportNamesKernelsGEMMAndBLASCore() throws {
        let (status, out, _) = try CLI.run(["doctor"])
        #expect(status == 0)
        for key in [
            "CPU", "features", "kernels", "  rows", "  activations", "  gemm", "  int8", "GEMM kernel", "int8 kernel", "bf16 kernel",
            "OpenBLAS core",
        ] {
            #expect(out.split(separator: "\n").contains { $0.hasPrefix(key + " ") }, "no \(key) line in:\n\(out)")
        }
    }

    @Test func disableAVX512ReachesEveryFamilyInAFreshProcess() throws {
        let (plain, _) = try Self.report()
        let (capped, _) = try Self.report(["FINCH_DISABLE_AVX512": "1"])
        let families = try #require(capped["families"] as? [String: String])
        #expect(Set(families.keys) == ["rows", "activations", "gemm", "int8"])
        for (family, level) in families { #expect(level != "avx512", "\(family) runs avx512 with the switch on") }
        #expect(capped["avx512_disabled_by_environment"] as? Bool == true)
        #expect((capped["gemm_kernel"] as? String)?.hasPrefix("avx512") == false)
        if plain["cpu_level"] as? String == "avx512" {
            let before = try #require(plain["families"] as? [String: String])
            let vnni = (plain["cpu_features"] as? [String])?.contains("avx512vnni") == true
            for (family, level) in families where family != "int8" || vnni {
                #expect(before[family] != level, "\(family): the switch changed nothing")
            }
        }
        #expect((capped["int8_kernel"] as? String)?.hasPrefix("avx512") == false)
        // The bf16 GEMM runs vdpbf16ps exactly where the CPU has AVX512_BF16 at the AVX-512 level.
        let bf16 = (plain["cpu_features"] as? [String])?.contains("avx512bf16") == true && plain["cpu_level"] as? String == "avx512"
        #expect(plain["bf16_kernel"] as? String == (bf16 ? "avx512bf16 12x32" : "emulated"))
        #expect(capped["bf16_kernel"] as? String == "emulated")
    }

    @Test func disableVNNIMovesOnlyTheInt8KernelInAFreshProcess() throws {
        let (plain, _) = try Self.report()
        let (off, _) = try Self.report(["FINCH_DISABLE_VNNI": "1"])
        #expect(off["vnni_disabled_by_environment"] as? Bool == true)
        #expect(plain["vnni_disabled_by_environment"] as? Bool == false)
        let vnni = (plain["cpu_features"] as? [String])?.contains("avx512vnni") == true && plain["cpu_level"] as? String == "avx512"
        #expect((plain["int8_kernel"] as? String)?.hasPrefix("avx512-vnni") == vnni)
        #expect((off["int8_kernel"] as? String)?.hasPrefix("avx512") == false)
        let before = try #require(plain["families"] as? [String: String])
        let after = try #require(off["families"] as? [String: String])
        for family in ["rows", "activations", "gemm"] { #expect(before[family] == after[family], "\(family) moved") }
    }

    @Test func prescottCoreWarnsOnceWhenBLASRunsTheProducts() throws {
        let (finch, quiet) = try Self.report(["OPENBLAS_CORETYPE": "Prescott"])
        #expect(finch["openblas_core"] as? String == "Prescott")
        let avx2 = finch["cpu_level"] as? String != "portable"
        #expect(finch["openblas_core_is_fallback"] as? Bool == avx2)
        // By default a fallback core makes Finch's GEMM run, so nothing to warn about.
        #expect(finch["gemm"] as? String == (avx2 ? "finch" : "blas"))
        #expect(!quiet.contains("warning:"), "Finch's GEMM runs, so OpenBLAS's core does not matter: \(quiet)")
        let (blas, err) = try Self.report(["OPENBLAS_CORETYPE": "Prescott", "FINCH_GEMM": "blas"])
        #expect(blas["gemm"] as? String == "blas")
        let warnings = err.components(separatedBy: "warning: OpenBLAS runs its generic 'Prescott' kernels").count - 1
        #expect(warnings == (avx2 ? 1 : 0), "stderr: \(err)")
        if avx2 { #expect(err.contains("OPENBLAS_CORETYPE=") && err.contains("FINCH_GEMM=finch")) }
        if avx2 {
            let (_, fitting) = try Self.report(["OPENBLAS_CORETYPE": "Haswell", "FINCH_GEMM": "blas"])
            #expect(!fitting.contains("warning:"), "an AVX2 core fits: \(fitting)")
        }
    }
}
