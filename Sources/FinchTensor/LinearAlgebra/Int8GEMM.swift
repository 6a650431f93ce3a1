import CFinchKernels

/// Quantized matrix products for int8 inference (dynamic quantization, as
/// ONNX Runtime's `quantize_dynamic`): activations are quantized per row at
/// run time to unsigned 8 bits, multiplied by `QuantizedWeights` in Finch's
/// int8 GEMM (AVX-512 VNNI, AVX2 or portable micro-kernel; exact int32 sums)
/// and dequantized in the GEMM's epilogue, bias included.
public enum Int8GEMM {
    /// The int8 micro-kernel in use, e.g. "avx512-vnni 12x32".
    public static var kernelName: String { String(cString: finch_int8_kernel_name()) }

    /// y = x · Wᵀ + bias for `rows` rows of `x` (rows × weights.inputs,
    /// contiguous) into `y` (rows × weights.outputs), with x quantized per row.
    /// Rows are quantized in parallel, then C is cut into blocks of rows (or
    /// of columns when there are more outputs than rows) across Finch's
    /// workers; every element is computed the same way in any block, so the
    /// result does not depend on the thread count.
    public static func linear(
        _ x: UnsafePointer<Float>, rows: Int, weights: QuantizedWeights, bias: UnsafePointer<Float>?,
        into y: UnsafeMutablePointer<Float>
    ) {
        let k = weights.inputs, n = weights.outputs
        if rows <= 0 || n <= 0 { return }
        var q = [UInt8](repeating: 0, count: rows * Swift.max(k, 1))
        var rowScale = [Float](repeating: 1, count: rows), rowZero = [Int32](repeating: 0, count: rows)
        q.withUnsafeMutableBufferPointer { qb in
            rowScale.withUnsafeMutableBufferPointer { sb in
                rowZero.withUnsafeMutableBufferPointer { zb in
                    let qp = qb.baseAddress!, sp = sb.baseAddress!, zp = zb.baseAddress!
                    Parallel.forRanges(rows, cost: 4 * Swift.max(k, 1)) { r in
                        finch_quantize_rows_u8(
                            r.count, k, x + r.lowerBound * k, k, qp + r.lowerBound * k, k, sp + r.lowerBound,
                            zp + r.lowerBound)
                    }
                    weights.values.withUnsafeBufferPointer { wb in
                        weights.scales.withUnsafeBufferPointer { cs in
                            weights.columnSums.withUnsafeBufferPointer { csum in
                                product(
                                    rows: rows, n: n, k: k, q: qp, rowScale: sp, rowZero: zp,
                                    w: wb.baseAddress ?? UnsafePointer(bitPattern: 1)!, colScale: cs.baseAddress!,
                                    colSum: csum.baseAddress!, bias: bias, y: y)
                            }
                        }
                    }
                }
            }
        }
    }

    private static func product(
        rows: Int, n: Int, k: Int, q: UnsafePointer<UInt8>, rowScale: UnsafePointer<Float>,
        rowZero: UnsafePointer<Int32>, w: UnsafePointer<Int8>, colScale: UnsafePointer<Float>,
        colSum: UnsafePointer<Int32>, bias: UnsafePointer<Float>?, y: UnsafeMutablePointer<Float>
    ) {
        // Blocks of whole micro-tiles (48 rows: a multiple of every kernel's MR; 32 columns likewise for NR).
        let alongRows = rows >= n
        let length = alongRows ? rows : n, unit = alongRows ? 48 : 32
        let units = (length + unit - 1) / unit
        let parts = Swift.min(Parallel.threadCount, units, Swift.max(1, (2 * rows * n * Swift.max(k, 1)) >> 21))
        Parallel.forRanges(parts, cost: 1, grain: 1) { workers in
            for part in workers {
                let lo = Swift.min(length, units * part / parts * unit)
                let hi = Swift.min(length, units * (part + 1) / parts * unit)
                if lo >= hi { continue }
                if alongRows {
                    var dq = finch_dequant(
                        row_scale: rowScale + lo, row_zero: rowZero + lo, col_scale: colScale, col_sum: colSum,
                        bias: bias)
                    finch_gemm_u8s8_dequant(hi - lo, n, k, q + lo * k, k, w, k, &dq, y + lo * n, n)
                } else {
                    var dq = finch_dequant(
                        row_scale: rowScale, row_zero: rowZero, col_scale: colScale + lo, col_sum: colSum + lo,
                        bias: bias.map { $0 + lo })
                    finch_gemm_u8s8_dequant(rows, hi - lo, k, q, k, w + lo * k, k, &dq, y + lo, n)
                }
            }
        }
    }
}
