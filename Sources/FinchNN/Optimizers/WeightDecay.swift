/// Which parameters are exempt from weight decay.
public enum WeightDecay {
    /// The parameter names Hugging Face's `Trainer` exempts from weight decay
    /// (`Trainer.get_decay_parameter_names`, transformers 5): every parameter
    /// of a `LayerNorm` module, and every name whose lower-cased form contains
    /// `bias`, `layernorm` or `rmsnorm`, has a dotted component `norm`, or a
    /// component ending in `_norm`. Pass the result as `noWeightDecay`.
    public static func huggingFaceExemptions(in module: any Module) -> Set<String> {
        var exempt = Set<String>()
        collect(module, prefix: "", insideLayerNorm: false, into: &exempt)
        return exempt
    }

    /// True when `name` matches one of Hugging Face's no-decay name patterns
    /// (`bias`, `layernorm`, `rmsnorm`, `(^|\.)norm($|\.)`, `_norm($|\.)`,
    /// searched in the lower-cased name).
    public static func isExemptByName(_ name: String) -> Bool {
        let lower = name.lowercased()
        if lower.contains("bias") || lower.contains("layernorm") || lower.contains("rmsnorm") { return true }
        return lower.split(separator: ".", omittingEmptySubsequences: false).contains { $0 == "norm" || $0.hasSuffix("_norm") }
    }

    private static func collect(_ module: any Module, prefix: String, insideLayerNorm: Bool, into exempt: inout Set<String>) {
        let layerNorm = insideLayerNorm || module is LayerNorm
        for (name, _) in module.ownParameters {
            let full = prefix + name
            if layerNorm || isExemptByName(full) { exempt.insert(full) }
        }
        for child in module.children {
            collect(child.module, prefix: prefix + child.name + ".", insideLayerNorm: layerNorm, into: &exempt)
        }
    }
}
