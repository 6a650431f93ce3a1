public enum FinchNNPlaceholder {}
