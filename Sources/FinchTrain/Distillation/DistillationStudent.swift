import FinchNN
import FinchTensor
import FinchTransformers

/// How a student is cut from its teacher (DistilBERT's recipe): the same
/// embeddings, pooler and classification head, and a subset of the teacher's
/// layers, evenly spaced from the bottom. Student layer k starts as teacher
/// layer k · ⌊N / L⌋ (N teacher layers, L student layers): every other layer
/// when the student has half the layers, 6 → 3 keeps 0, 2, 4.
public enum DistillationStudent {
    /// The student's layer count when none is given: half the teacher's,
    /// rounded up (every other layer).
    public static func defaultLayers(teacherLayers: Int) -> Int { (teacherLayers + 1) / 2 }

    /// The teacher layers the student keeps, in the student's order.
    ///
    /// - Precondition: 1 ≤ `studentLayers` ≤ `teacherLayers`.
    public static func keptLayers(teacherLayers: Int, studentLayers: Int) -> [Int] {
        precondition(studentLayers >= 1 && studentLayers <= teacherLayers, "student of \(studentLayers) layers from \(teacherLayers)")
        let stride = teacherLayers / studentLayers
        return (0..<studentLayers).map { $0 * stride }
    }

    /// A student encoder of `layers` layers initialized from `teacher`: the
    /// config identical but `num_hidden_layers`; the embeddings and the pooler
    /// copied under their own keys; student layer k's tensors copied from
    /// teacher layer `keptLayers[k]`, keyed by the student's module tree
    /// (`encoder.layer.k.…`). The student comes back in eval mode.
    ///
    /// - Throws: `DistillationError.invalidLayers` for a count outside 1…N.
    public static func initialize(from teacher: BertModel, layers: Int, rng: inout FinchRNG) throws -> BertModel {
        let teacherLayers = teacher.config.numHiddenLayers
        guard layers >= 1 && layers <= teacherLayers else {
            throw DistillationError.invalidLayers(requested: layers, teacherLayers: teacherLayers)
        }
        var config = teacher.config
        config.numHiddenLayers = layers
        // The new weights are drawn only to be overwritten below.
        let student = try BertModel(config: config, addPoolingLayer: teacher.pooler != nil, rng: &rng)
        var state: [String: Tensor] = [:]
        for (name, p) in teacher.namedParameters() + teacher.namedBuffers() where !name.hasPrefix("encoder.") {
            state[name] = p.value
        }
        for (k, source) in keptLayers(teacherLayers: teacherLayers, studentLayers: layers).enumerated() {
            let block = teacher.encoder.layer[source]
            let prefix = "encoder.layer.\(k)."
            for (name, p) in block.namedParameters(prefix: prefix) + block.namedBuffers(prefix: prefix) { state[name] = p.value }
        }
        try student.loadStateDict(state)
        student.eval()
        return student
    }

    /// A student classifier of `layers` layers initialized from `teacher`:
    /// its encoder as `initialize(from:layers:rng:)` cuts the teacher's, and
    /// the teacher's labels, pooling and classification head.
    ///
    /// - Throws: `DistillationError.invalidLayers` for a count outside 1…N.
    public static func initialize(
        from teacher: BertForSequenceClassification, layers: Int, rng: inout FinchRNG
    ) throws -> BertForSequenceClassification {
        let bert = try initialize(from: teacher.bert, layers: layers, rng: &rng)
        let student = try BertForSequenceClassification(
            bert: bert, labels: teacher.labels, problemType: teacher.problemType, pooling: teacher.pooling, rng: &rng)
        try student.classifier.loadStateDict(teacher.classifier.stateDict())
        student.eval()
        return student
    }
}
