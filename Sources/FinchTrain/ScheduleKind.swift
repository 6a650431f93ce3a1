/// Learning-rate schedule over optimizer steps, as Hugging Face's `get_*_schedule_with_warmup`.
public enum ScheduleKind: String, Codable, Sendable, CaseIterable {
    /// The peak rate after warmup.
    case constant
    /// Linear decay to zero after warmup.
    case linear
    /// Half a cosine wave down to zero after warmup.
    case cosine
}
