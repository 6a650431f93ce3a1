import FinchServer
import Foundation
import Testing

@Suite struct MonitorEventHubTests {
    @Test func subscribersReceiveTheirMonitorsEventsOnly() async throws {
        let hub = MonitorEventHub()
        let news = hub.subscribe(monitor: "news")
        let other = hub.subscribe(monitor: "other")
        #expect(hub.subscriberCount(monitor: "news") == 1)
        let event = MonitorEvent(name: "alert", data: Data(#"{"entity":"ACME"}"#.utf8))
        hub.publish(event, monitor: "news")
        hub.publish(MonitorEvent(name: "document", data: Data("{}".utf8)), monitor: "news")
        hub.finishAll()
        var received: [MonitorEventHub.Item] = []
        for await item in news { received.append(item) }
        #expect(received == [.event(event), .event(MonitorEvent(name: "document", data: Data("{}".utf8)))])
        var otherItems: [MonitorEventHub.Item] = []
        for await item in other { otherItems.append(item) }
        #expect(otherItems.isEmpty)
        #expect(hub.subscriberCount(monitor: "news") == 0)
    }

    @Test func keepAliveTicksArriveWhileIdle() async throws {
        let hub = MonitorEventHub()
        let stream = hub.subscribe(monitor: "news", keepAliveSeconds: 0.05)
        var iterator = stream.makeAsyncIterator()
        let first = await iterator.next()
        #expect(first == .keepAlive)
    }

    @Test func aDroppedSubscriptionIsRemoved() async throws {
        let hub = MonitorEventHub()
        do {
            let stream = hub.subscribe(monitor: "news", keepAliveSeconds: 10)
            let task = Task { for await _ in stream {} }
            task.cancel()
            _ = await task.value
        }
        #expect(try await WebhookDeliveryTests.waitUntil(2) { hub.subscriberCount(monitor: "news") == 0 })
    }
}
