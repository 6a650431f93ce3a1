import FinchTensor
import Foundation

extension OptimizerState {
    /// Metadata key holding `kind`.
    static let kindKey = "finch.optimizer"
    /// Prefix of the metadata keys holding step counts (`step:<parameter>`).
    static let stepPrefix = "step:"

    /// Writes the state as a safetensors file: the buffers as F32 tensors under
    /// their `<parameter>.<buffer>` keys, `kind` and the step counts in the
    /// header metadata. Atomic, as `Safetensors.write`.
    public func write(to url: URL) throws {
        var metadata = [Self.kindKey: kind]
        for (name, count) in steps { metadata[Self.stepPrefix + name] = String(count) }
        try Safetensors.write(tensors, metadata: metadata, to: url)
    }

    /// Reads a state written by `write(to:)`. Throws `SafetensorsError` for a
    /// malformed file and `OptimizerError.invalidStateFile` when the metadata
    /// lacks the optimizer kind or holds a step count that is not an integer.
    public init(contentsOf url: URL) throws {
        let file = try SafetensorsFile(contentsOf: url)
        guard let kind = file.metadata[Self.kindKey] else {
            throw OptimizerError.invalidStateFile(file: url.path, reason: "no '\(Self.kindKey)' entry in the metadata")
        }
        var steps: [String: Int] = [:]
        for (key, value) in file.metadata where key.hasPrefix(Self.stepPrefix) {
            guard let count = Int(value), count >= 0 else {
                throw OptimizerError.invalidStateFile(
                    file: url.path, reason: "step count '\(value)' of \(key) is not a non-negative integer")
            }
            steps[String(key.dropFirst(Self.stepPrefix.count))] = count
        }
        var tensors: [String: Tensor] = [:]
        for name in file.names {
            tensors[name] = try file.tensor(named: name).copy()
        }
        self.init(kind: kind, steps: steps, tensors: tensors)
    }
}
