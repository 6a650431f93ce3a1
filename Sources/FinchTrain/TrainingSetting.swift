/// A setting of a fine-tuning run, named in errors so that each front end
/// (the CLI's flags, a server's JSON fields) can point at its own spelling.
/// The raw value is the setting in words.
public enum TrainingSetting: String, Sendable, CaseIterable {
    /// `TrainingConfiguration.epochs`.
    case epochs = "epochs"
    /// `TrainingConfiguration.batchSize`.
    case batchSize = "batch size"
    /// `TrainingConfiguration.learningRate`.
    case learningRate = "learning rate"
    /// `TrainingConfiguration.warmupRatio`.
    case warmupRatio = "warmup ratio"
    /// `TrainingConfiguration.warmupSteps`.
    case warmupSteps = "warmup steps"
    /// `TrainingConfiguration.weightDecay`.
    case weightDecay = "weight decay"
    /// `TrainingConfiguration.adamBeta1`, `adamBeta2`, `adamEpsilon`.
    case adam = "Adam parameters"
    /// `TrainingConfiguration.maxGradNorm`.
    case maxGradNorm = "maximum gradient norm"
    /// `TrainingConfiguration.gradientAccumulationSteps`.
    case gradientAccumulationSteps = "gradient accumulation steps"
    /// `TrainingConfiguration.evaluation` (`.steps(n)`).
    case evaluationSteps = "evaluation interval"
    /// `TrainingConfiguration.loggingSteps`.
    case loggingSteps = "logging interval"
    /// `TrainingConfiguration.earlyStoppingPatience`.
    case earlyStoppingPatience = "early-stopping patience"
    /// `TrainingConfiguration.metricForBestModel`.
    case metric = "metric for the best model"
    /// `TrainingConfiguration.adversarialEpsilon`.
    case adversarialEpsilon = "adversarial epsilon"
    /// `TrainingConfiguration.checkpointSteps`.
    case checkpointSteps = "checkpoint interval"
    /// `FineTuningRequest.maxLength`.
    case maxLength = "maximum length"
    /// `FineTuningRequest.classWeights`.
    case classWeights = "class weights"
    /// `LoRAConfiguration.rank`.
    case loraRank = "LoRA rank"
    /// `LoRAConfiguration.alpha`.
    case loraAlpha = "LoRA alpha"
    /// `LoRAConfiguration.dropout`.
    case loraDropout = "LoRA dropout"
    /// `LoRAConfiguration.targetModules`.
    case loraTargets = "LoRA target modules"
    /// `FineTuningRequest.freezeLayers`.
    case freezeLayers = "frozen layers"
    /// `FineTuningRequest.holdOut`.
    case holdOut = "hold-out fraction"
    /// `FineTuningRequest.outputDirectory`.
    case outputDirectory = "output directory"
    /// `FineTuningRequest.resume`.
    case resume = "resume"
}
