import CFinchKernels
import Testing

@testable import FinchTensor

/// How the GEMM backend is chosen, and when the OpenBLAS fallback warning appears.
@Suite struct GEMMBackendTests {
    @Test func environmentForcesEitherBackendAndTheDefaultFollowsCPUAndBLASCore() {
        let avx512 = Int32(FINCH_ISA_AVX512), avx2 = Int32(FINCH_ISA_AVX2), portable = Int32(FINCH_ISA_PORTABLE)
        #expect(GEMMBackend.choose(environment: "blas", isa: avx512, blasCore: "Prescott").backend == .blas)
        #expect(GEMMBackend.choose(environment: "finch", isa: portable, blasCore: "Haswell").backend == .finch)
        #expect(GEMMBackend.choose(environment: "FINCH", isa: avx2, blasCore: "Zen").reason == "FINCH_GEMM=FINCH forces it")
        // OpenBLAS without kernels for the CPU: Finch's GEMM; OpenBLAS with fitting kernels: BLAS.
        #expect(GEMMBackend.choose(environment: nil, isa: avx512, blasCore: "Prescott").backend == .finch)
        #expect(GEMMBackend.choose(environment: nil, isa: avx2, blasCore: "Core2").backend == .finch)
        #expect(GEMMBackend.choose(environment: nil, isa: avx512, blasCore: "Cooperlake").backend == .blas)
        #expect(GEMMBackend.choose(environment: nil, isa: avx2, blasCore: "Haswell").backend == .blas)
        #expect(GEMMBackend.choose(environment: nil, isa: portable, blasCore: "Prescott").backend == .blas)
        let bad = GEMMBackend.choose(environment: "mkl", isa: avx2, blasCore: "Prescott")
        #expect(bad.backend == .finch)
        #expect(bad.reason.hasPrefix("FINCH_GEMM=mkl is neither finch nor blas"))
    }

    @Test func fallbackWarningOnlyForAGenericCoreOnAnAVX2CPU() throws {
        let onAVX2 = try #require(BLASLibrary.fallbackWarning(coreName: "Prescott", cpuISA: Int32(FINCH_ISA_AVX2)))
        #expect(onAVX2.contains("'Prescott'") && onAVX2.contains("OPENBLAS_CORETYPE=Haswell") && onAVX2.contains("FINCH_GEMM=finch"))
        let onAVX512 = try #require(BLASLibrary.fallbackWarning(coreName: "Core2", cpuISA: Int32(FINCH_ISA_AVX512)))
        #expect(onAVX512.contains("OPENBLAS_CORETYPE=SkylakeX"))
        for core in ["Haswell", "Zen", "SkylakeX", "Cooperlake", "SapphireRapids"] {
            #expect(BLASLibrary.fallbackWarning(coreName: core, cpuISA: Int32(FINCH_ISA_AVX512)) == nil, "\(core)")
        }
        #expect(BLASLibrary.fallbackWarning(coreName: "Prescott", cpuISA: Int32(FINCH_ISA_PORTABLE)) == nil)
    }
}
