import FinchTensor

/// Why a state dict did not fit a module.
public enum StateDictError: Error, CustomStringConvertible, Equatable {
    /// Keys the module has and the state dict lacks, unexpected keys the state
    /// dict has, and keys whose shapes differ ("key: checkpoint [a] vs model [b]").
    case mismatch(missing: [String], unexpected: [String], misshapen: [String])

    public var description: String {
        switch self {
        case let .mismatch(missing, unexpected, misshapen):
            var parts: [String] = []
            if !missing.isEmpty { parts.append("missing keys: \(missing.joined(separator: ", "))") }
            if !unexpected.isEmpty { parts.append("unexpected keys: \(unexpected.joined(separator: ", "))") }
            if !misshapen.isEmpty { parts.append("shape mismatch: \(misshapen.joined(separator: "; "))") }
            return "state dict does not match the model: " + parts.joined(separator: "; ")
        }
    }
}

extension Module {
    /// Every parameter's and buffer's value by its dotted key (values share storage).
    public func stateDict() -> [String: Tensor] {
        Dictionary(uniqueKeysWithValues: (namedParameters() + namedBuffers()).map { ($0.name, $0.parameter.value.detached()) })
    }

    /// Loads values (parameters and buffers) by key, strictly: any missing, unexpected or misshapen key
    /// fails the whole load before anything is changed. Keys in `ignoring`
    /// (exact names) are neither required nor rejected; `allowMissing` lists
    /// prefixes of model keys a checkpoint may lack (for example a new head).
    public func loadStateDict(
        _ state: [String: Tensor], ignoring: Set<String> = [], allowMissing: [String] = []
    ) throws {
        let params = namedParameters() + namedBuffers()
        let known = Set(params.map(\.name))
        var missing: [String] = [], misshapen: [String] = []
        for (name, p) in params {
            if let t = state[name] {
                if t.shape != p.shape { misshapen.append("\(name): checkpoint \(t.shape) vs model \(p.shape)") }
            } else if !ignoring.contains(name) && !allowMissing.contains(where: { name.hasPrefix($0) }) {
                missing.append(name)
            }
        }
        let unexpected = state.keys.filter { !known.contains($0) && !ignoring.contains($0) }.sorted()
        guard missing.isEmpty, unexpected.isEmpty, misshapen.isEmpty else {
            throw StateDictError.mismatch(missing: missing, unexpected: unexpected, misshapen: misshapen)
        }
        for (name, p) in params { if let t = state[name] { p.assign(t) } }
    }
}
