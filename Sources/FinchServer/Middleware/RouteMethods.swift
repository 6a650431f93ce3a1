import Hummingbird
import Synchronization

/// The methods each route path answers, for 405 responses: filled from the finished route table
/// (`Router.routes`) once every controller has added its routes. Paths match as Hummingbird's
/// router matches them (`{name}` and `:name` any one component, `*` wildcards, `**` the rest).
final class RouteMethods: Sendable {
    private struct Entry: Sendable {
        var path: RouterPath
        var methods: Set<String>
    }

    private let entries = Mutex<[Entry]>([])

    init() {}

    /// Replaces the table with `routes`.
    func fill(_ routes: [Router<FinchRequestContext>.RouteDescription]) {
        var byPath: [String: Entry] = [:]
        for route in routes {
            byPath[route.path.description, default: Entry(path: route.path, methods: [])].methods.insert(route.method.rawValue)
        }
        let sorted = byPath.keys.sorted().map { byPath[$0]! }
        entries.withLock { $0 = sorted }
    }

    /// The route template that serves `path` and the methods it declares, sorted; nil when no route
    /// matches (the path does not exist). Where several templates match, the router takes the most
    /// specific (a constant component before a parameter before a wildcard), and so does this.
    func methods(forPath path: String) -> (template: String, methods: [String])? {
        let components = path.split(separator: "/", omittingEmptySubsequences: true)
        let matching = entries.withLock { $0.filter { Self.matches($0.path, components) } }
        guard let best = matching.min(by: { Self.generality($0.path).lexicographicallyPrecedes(Self.generality($1.path)) })
        else { return nil }
        return (best.path.description, best.methods.sorted())
    }

    /// Per component: 0 a constant, 1 a parameter, 2 a wildcard, 3 the recursive wildcard.
    private static func generality(_ template: RouterPath) -> [Int] {
        template.components.map { element in
            let text = element.description
            if text == "**" { return 3 }
            if text.contains("*") { return 2 }
            if text.contains("{") { return 1 }
            return 0
        }
    }

    private static func matches(_ template: RouterPath, _ components: [Substring]) -> Bool {
        var i = 0
        for element in template.components {
            if element.description == "**" { return true }
            guard i < components.count, element ~= components[i] else { return false }
            i += 1
        }
        return i == components.count
    }
}
