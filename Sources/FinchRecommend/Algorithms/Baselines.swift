/// How user and item biases are estimated (Surprise's `bsl_options`).
public enum BaselineMethod: String, Sendable, CaseIterable, Codable {
    /// Alternating closed-form updates (Surprise default: 10 epochs, reg_u 15, reg_i 10).
    case als
    /// Stochastic gradient descent (Surprise: 20 epochs, reg 0.02, lr 0.005).
    case sgd
}

/// Options of the baseline estimate r̂ = μ + b_u + b_i, Surprise's defaults.
public struct BaselineOptions: Sendable, Equatable {
    /// ALS or SGD.
    public var method: BaselineMethod = .als
    /// Passes over the data; nil means the method's default (10 ALS, 20 SGD).
    public var epochs: Int? = nil
    /// ALS: regularization of user biases (`reg_u`).
    public var regUser: Float = 15
    /// ALS: regularization of item biases (`reg_i`).
    public var regItem: Float = 10
    /// SGD: regularization of both biases (`reg`).
    public var reg: Float = 0.02
    /// SGD: learning rate (`learning_rate`).
    public var lr: Float = 0.005

    /// Surprise's defaults.
    public init() {}

    /// The epoch count actually used.
    public var effectiveEpochs: Int { epochs ?? (method == .als ? 10 : 20) }

    mutating func read(_ reader: inout HyperparameterReader, prefix: String = "") throws {
        method = try reader.choice(prefix + "method", default: method)
        let e = try reader.int(prefix + "epochs", default: -1, minimum: -1)
        epochs = e < 0 ? nil : e
        regUser = try reader.float(prefix + "reg_user", default: regUser)
        regItem = try reader.float(prefix + "reg_item", default: regItem)
        reg = try reader.float(prefix + "reg", default: reg)
        lr = try reader.float(prefix + "lr", default: lr)
    }

    func write(into p: inout [String: String], prefix: String = "") {
        p[prefix + "method"] = method.rawValue
        p[prefix + "epochs"] = String(effectiveEpochs)
        p[prefix + "reg_user"] = parameterText(regUser)
        p[prefix + "reg_item"] = parameterText(regItem)
        p[prefix + "reg"] = parameterText(reg)
        p[prefix + "lr"] = parameterText(lr)
    }

    static func names(prefix: String = "") -> [String] {
        ["method", "epochs", "reg_user", "reg_item", "reg", "lr"].map { prefix + $0 }
    }
}

/// Fits and folds in user/item biases exactly as Surprise's
/// `optimize_baselines.pyx` does (same update order, Double accumulation).
enum Baselines {
    /// Fits (b_u, b_i) on `data` around its global mean.
    static func fit(_ data: RatingMatrix, options: BaselineOptions) -> (user: [Float], item: [Float]) {
        let mu = Double(data.globalMean)
        var bu = [Double](repeating: 0, count: data.userCount)
        var bi = [Double](repeating: 0, count: data.itemCount)
        let epochs = options.effectiveEpochs
        bu.withUnsafeMutableBufferPointer { bu in
            bi.withUnsafeMutableBufferPointer { bi in
                data.byUser.withBuffers { ur in
                    data.byItem.withBuffers { ir in
                        switch options.method {
                        case .als:
                            let regU = Double(options.regUser), regI = Double(options.regItem)
                            for _ in 0..<epochs {
                                for i in 0..<data.itemCount {
                                    var dev = 0.0
                                    for n in ir.offsets[i]..<ir.offsets[i + 1] {
                                        dev += Double(ir.values[n]) - mu - bu[Int(ir.indices[n])]
                                    }
                                    bi[i] = dev / (regI + Double(ir.offsets[i + 1] - ir.offsets[i]))
                                }
                                for u in 0..<data.userCount {
                                    var dev = 0.0
                                    for n in ur.offsets[u]..<ur.offsets[u + 1] {
                                        dev += Double(ur.values[n]) - mu - bi[Int(ur.indices[n])]
                                    }
                                    bu[u] = dev / (regU + Double(ur.offsets[u + 1] - ur.offsets[u]))
                                }
                            }
                        case .sgd:
                            let lr = Double(options.lr), reg = Double(options.reg)
                            for _ in 0..<epochs {
                                for u in 0..<data.userCount {
                                    for n in ur.offsets[u]..<ur.offsets[u + 1] {
                                        let i = Int(ur.indices[n])
                                        let err = Double(ur.values[n]) - (mu + bu[u] + bi[i])
                                        bu[u] += lr * (err - reg * bu[u])
                                        bi[i] += lr * (err - reg * bi[i])
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (bu.map(Float.init), bi.map(Float.init))
    }

    /// The bias of one row (a user's ratings against fixed item biases, or an
    /// item's against fixed user biases): ALS's closed form Σ(r − μ − b_other)/(reg + n),
    /// or for SGD the same number of epochs of SGD on this bias alone.
    static func solveRow(
        _ rows: SparseRows, row: Int, otherBias: [Float], otherKnown: (Int) -> Bool, mean: Float,
        options: BaselineOptions, isUser: Bool
    ) -> Float {
        let mu = Double(mean)
        switch options.method {
        case .als:
            var dev = 0.0
            var n = 0
            for k in rows.range(ofRow: row) {
                let j = Int(rows.indices[k])
                dev += Double(rows.values[k]) - mu - (otherKnown(j) ? Double(otherBias[j]) : 0)
                n += 1
            }
            return Float(dev / (Double(isUser ? options.regUser : options.regItem) + Double(n)))
        case .sgd:
            var b = 0.0
            let lr = Double(options.lr), reg = Double(options.reg)
            for _ in 0..<options.effectiveEpochs {
                for k in rows.range(ofRow: row) {
                    let j = Int(rows.indices[k])
                    let err = Double(rows.values[k]) - (mu + b + (otherKnown(j) ? Double(otherBias[j]) : 0))
                    b += lr * (err - reg * b)
                }
            }
            return Float(b)
        }
    }
}
