import ArgumentParser
import FinchTransformers
import Foundation

/// `--model M`: a local directory, or `hf:ORG/NAME[@revision]` from the hub
/// cache. Every command that reads a model resolves it here, the same way:
/// the reference is checked at parse time, the directory when it is resolved.
struct ModelOption: ParsableArguments {
    @Option(help: "Model: a directory, or hf:ORG/NAME[@revision] (downloaded once into the cache, then used offline).")
    var model: String

    init() {}

    func validate() throws {
        do { _ = try ModelReference(parsing: model) } catch { throw ValidationError(error.description) }
    }

    /// The local directory of the model (downloading a hub model if needed).
    func resolve() throws -> URL { try ModelLocation.resolve(model) }
}
