import FinchNN
import FinchSupport
import FinchTensor
import Foundation

/// A model fine-tuned with LoRA and not merged is saved as the base weights
/// (`model.safetensors`) plus its adapters in `adapter_model.safetensors` and
/// the settings in `adapter_config.json`, the file names PEFT uses.
public enum LoRAFiles {
    /// The adapters' weights file (PEFT's name).
    public static let weights = "adapter_model.safetensors"
    /// The adapters' settings file (PEFT's name).
    public static let config = "adapter_config.json"

    /// Writes the adapters of `model` into `directory` when it has any.
    public static func save(_ model: any Module, configuration: LoRAConfiguration?, to directory: URL) throws {
        let adapters = model.stateDict().filter { $0.key.contains(".lora_") }
        guard !adapters.isEmpty, let configuration else { return }
        try Safetensors.write(adapters, metadata: ["format": "pt"], to: directory.appendingPathComponent(weights))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(encoder.encode(configuration), to: directory.appendingPathComponent(config))
    }

    /// Attaches and loads the adapters saved in `directory`, if any; returns true when it did.
    @discardableResult
    public static func attachIfPresent(to model: any Module, from directory: URL) throws -> Bool {
        let configURL = directory.appendingPathComponent(config)
        guard FileManager.default.fileExists(atPath: configURL.path) else { return false }
        let configuration = try TaskError.decodeModelFile(LoRAConfiguration.self, at: configURL)
        var rng = FinchRNG(seed: 0)
        try model.applyLoRA(configuration, rng: &rng)
        let tensors = try SafetensorsFile(contentsOf: directory.appendingPathComponent(weights)).tensors()
        let lora = model.namedParameters().filter { $0.name.contains(".lora_") }
        try LoRAAdapterSet(lora).loadStateDict(tensors)
        return true
    }
}

/// The adapter parameters of a model as a module of their own, for strict loading.
private final class LoRAAdapterSet: Module {
    var isTraining = false
    let entries: [(name: String, parameter: Parameter)]
    init(_ entries: [(name: String, parameter: Parameter)]) { self.entries = entries }
    var ownParameters: [(name: String, parameter: Parameter)] { entries }
}
