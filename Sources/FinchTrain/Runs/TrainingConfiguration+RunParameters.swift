extension TrainingConfiguration {
    /// The configuration as a run's parameters, under the Hugging Face
    /// `TrainingArguments` names where there is one; unset options are left out.
    public var runParameters: [String: String] {
        var p: [String: String] = [
            "epochs": String(epochs), "batch_size": String(batchSize), "learning_rate": String(learningRate),
            "warmup_ratio": String(warmupRatio), "weight_decay": String(weightDecay), "adam_beta1": String(adamBeta1),
            "adam_beta2": String(adamBeta2), "adam_epsilon": String(adamEpsilon),
            "gradient_accumulation_steps": String(gradientAccumulationSteps), "schedule": schedule.rawValue, "seed": String(seed),
            "logging_steps": String(loggingSteps), "metric_for_best_model": metricForBestModel.rawValue,
            "export_best_model": String(exportBestModel), "length_bucketing": String(lengthBucketing),
        ]
        switch evaluation {
        case .no: p["evaluation"] = "no"
        case .epoch: p["evaluation"] = "epoch"
        case .steps(let n): p["evaluation"] = "steps:\(n)"
        }
        if let v = warmupSteps { p["warmup_steps"] = String(v) }
        if let v = maxGradNorm { p["max_grad_norm"] = String(v) }
        if let v = earlyStoppingPatience { p["early_stopping_patience"] = String(v) }
        if let v = adversarialEpsilon { p["adversarial_epsilon"] = String(v) }
        if let v = checkpointSteps { p["checkpoint_steps"] = String(v) }
        if let v = optimizer { p["optimizer"] = v.rawValue }
        if let v = sgdMomentum { p["sgd_momentum"] = String(v) }
        if precision == .bf16 { p["bf16"] = "true" }  // TrainingArguments' bf16 (mixed precision)
        return p
    }
}
