import FinchServer
import FinchTensor
import Foundation
import Logging
import Testing

/// The start-up warning about OpenBLAS's core, through the service's JSON log handler.
@Suite struct BLASCoreReportTests {
    /// The JSON objects a logger wrote.
    static func capture(_ body: (Logger) -> Void) throws -> [[String: Any]] {
        let lines = LogLines()
        let logger = Logger(label: "finch.server") { JSONLogHandler(label: $0, sink: { lines.append($0) }) }
        body(logger)
        return try lines.all.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    static let prescott = BLASCoreReport(
        coreName: "Prescott", cpuLevel: .avx512, gemm: .finch, gemmReason: "OpenBLAS runs its generic 'Prescott' kernels",
        finchKernel: "avx512 16x16")

    @Test func aFallbackCoreIsOneWarningNamingTheCoreAndTheGEMMInUse() throws {
        var logged = false
        let lines = try Self.capture { logged = Self.prescott.log(to: $0) }
        #expect(logged)
        #expect(lines.count == 1)
        let line = try #require(lines.first)
        #expect(line["level"] as? String == "warning")
        #expect(line["event"] as? String == "openblas_fallback_core")
        #expect(line["openblas_core"] as? String == "Prescott")
        #expect(line["cpu_level"] as? String == "avx512")
        #expect(line["gemm"] as? String == "finch")
        #expect(line["gemm_kernel"] as? String == "avx512 16x16")
        #expect((line["fix"] as? String)?.contains("OPENBLAS_CORETYPE=SkylakeX") == true)
        let message = try #require(line["message"] as? String)
        #expect(message.contains("'Prescott'") && message.contains("Finch's own GEMM (avx512 16x16 micro-kernel)"), "\(message)")
    }

    @Test func whenBLASIsForcedTheWarningSaysOpenBLASStillRuns() throws {
        var forced = Self.prescott
        forced.cpuLevel = .avx2
        forced.gemm = .blas
        forced.gemmReason = "FINCH_GEMM=blas forces it"
        let line = try #require(try Self.capture { forced.log(to: $0) }.first)
        #expect(line["gemm"] as? String == "blas")
        #expect(line["gemm_kernel"] as? String == "openblas")
        #expect((line["fix"] as? String)?.contains("OPENBLAS_CORETYPE=Haswell") == true)
        #expect((line["message"] as? String)?.contains("OpenBLAS still runs the matrix products (FINCH_GEMM=blas forces it)") == true)
    }

    @Test func aCoreThatFitsTheCPUOrACPUWithoutAVX2LogsNothing() throws {
        for (core, level) in [("SkylakeX", KernelDispatch.Level.avx512), ("Haswell", .avx2), ("Zen", .avx2), ("Prescott", .portable)] {
            let report = BLASCoreReport(coreName: core, cpuLevel: level, gemm: .blas, gemmReason: "r", finchKernel: "k")
            var logged = true
            let lines = try Self.capture { logged = report.log(to: $0) }
            #expect(!logged)
            #expect(lines.isEmpty, "\(core) on \(level.name)")
        }
    }

    @Test func startUpLogsTheWarningOnceWhenTheCoreIsAFallback() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        func events(_ report: BLASCoreReport) async throws -> [String] {
            let lines = LogLines()
            _ = try await buildApplication(
                configuration: fixture.configuration, store: fixture.store, logSink: { lines.append($0) }, blas: report)
            return lines.all.filter { $0.contains("openblas_fallback_core") }
        }
        let fallback = try await events(Self.prescott)
        #expect(fallback.count == 1)
        #expect(fallback.first?.contains(#""openblas_core":"Prescott""#) == true)
        var fits = Self.prescott
        fits.coreName = "SkylakeX"
        #expect(try await events(fits).isEmpty)
        // This machine: the line appears exactly when `finch doctor` calls the core a fallback.
        let here = try await events(.current)
        #expect(here.count == (BLASLibrary.fallbackWarning() == nil ? 0 : 1))
    }
}
