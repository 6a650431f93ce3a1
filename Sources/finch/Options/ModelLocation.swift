import Foundation

/// `--model` values: a local directory (hub references come with the hub client).
enum ModelLocation {
    static func resolve(_ value: String) throws -> URL {
        URL(fileURLWithPath: value)
    }
}
