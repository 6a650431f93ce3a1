/// The optimizer a `Trainer` run updates the weights with.
public enum OptimizerKind: String, Codable, CaseIterable, Sendable {
    /// AdamW with the configuration's betas, ε and decoupled weight decay.
    case adamw
    /// `torch.optim.SGD` with the configuration's momentum and L2 weight decay.
    case sgd
}
