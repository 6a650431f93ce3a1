/// The hyperparameters the SGD factor models (svd, svdpp) share, read and
/// written once: factors, epochs, lr, reg, init_mean, init_std, and for each
/// learnt term (`bu`, `bi`, `pu`, `qi`, and `yj` for svdpp) an optional
/// `lr_<term>` / `reg_<term>` that overrides `lr` / `reg`.
struct SGDHyperparameters {
    var factors: Int
    var epochs: Int
    var lr: Float
    var reg: Float
    var initMean: Float
    var initStd: Float
    /// Per-term learning rates (nil: use `lr`), by term.
    var termLR: [String: Float?]
    /// Per-term regularizations (nil: use `reg`), by term.
    var termReg: [String: Float?]

    /// The names `read` accepts for `terms`.
    static func names(terms: [String]) -> [String] {
        ["factors", "epochs", "lr", "reg", "init_mean", "init_std"] + terms.map { "lr_" + $0 } + terms.map { "reg_" + $0 }
    }

    /// Reads the shared names from `r`, starting from `defaults`.
    static func read(_ r: inout HyperparameterReader, defaults: SGDHyperparameters, terms: [String]) throws -> SGDHyperparameters {
        var h = defaults
        h.factors = try r.int("factors", default: defaults.factors, minimum: 1)
        h.epochs = try r.int("epochs", default: defaults.epochs)
        h.lr = try r.float("lr", default: defaults.lr)
        h.reg = try r.float("reg", default: defaults.reg)
        h.initMean = try r.float("init_mean", default: defaults.initMean, minimum: nil)
        h.initStd = try r.float("init_std", default: defaults.initStd)
        for term in terms {
            h.termLR[term] = .some(try r.optionalFloat("lr_" + term))
            h.termReg[term] = .some(try r.optionalFloat("reg_" + term))
        }
        return h
    }

    /// Canonical texts of every shared name.
    var parameters: [String: String] {
        var p = [
            "factors": String(factors), "epochs": String(epochs), "lr": parameterText(lr), "reg": parameterText(reg),
            "init_mean": parameterText(initMean), "init_std": parameterText(initStd),
        ]
        for (term, value) in termLR { p["lr_" + term] = parameterText(value) }
        for (term, value) in termReg { p["reg_" + term] = parameterText(value) }
        return p
    }

    /// The four learning rates and regularizations of b_u, b_i, p_u, q_i in effect.
    static func rates(lr: Float, reg: Float, lrs: [Float?], regs: [Float?]) -> SGDRates {
        SGDRates(
            lrBu: lrs[0] ?? lr, lrBi: lrs[1] ?? lr, lrPu: lrs[2] ?? lr, lrQi: lrs[3] ?? lr,
            regBu: regs[0] ?? reg, regBi: regs[1] ?? reg, regPu: regs[2] ?? reg, regQi: regs[3] ?? reg)
    }
}

/// Learning rates and regularizations of one SGD model.
struct SGDRates {
    var lrBu, lrBi, lrPu, lrQi: Float
    var regBu, regBi, regPu, regQi: Float
}
