import CFinchKernels

/// The precision of the matrix products of autodiff ops (`linear`, `matmul`),
/// as PyTorch's CPU autocast: in `bf16` their operands are rounded to
/// bfloat16 and the products summed in fp32, while tensors, weights, the
/// optimizer and every other op stay fp32 (the products' outputs too, so
/// nothing downstream sees bf16). Training sets it around its forward and
/// backward passes; inference paths and other threads keep fp32.
///
///     MatmulPrecision.$current.withValue(.bf16) {
///         let loss = model.logits(batch).crossEntropy(targets: labels)
///         loss.backward()
///     }
public enum MatmulPrecision: String, CaseIterable, Codable, Sendable {
    /// Products in fp32 (the default).
    case fp32
    /// Operands rounded to bfloat16, products summed in fp32.
    case bf16

    /// The precision the products of the current task or thread run in.
    @TaskLocal public static var current: MatmulPrecision = .fp32

    /// Whether bf16 products run on the CPU's bf16 instructions (AVX512_BF16,
    /// about twice the fp32 rate). Without them bf16 is emulated: the same
    /// rounding on the fp32 GEMM, no faster than fp32.
    public static var bf16IsNative: Bool { finch_bf16_native() != 0 }

    /// The bf16 micro-kernel in use ("avx512bf16 12x32", or "emulated").
    public static var bf16KernelName: String { String(cString: finch_bf16_kernel_name()) }
}
