import Hummingbird
import HummingbirdTesting
import Testing

@testable import FinchServer

/// The dashboard's routes, through HummingbirdTesting's router mode.
@Suite struct DashboardControllerTests {
    func application() -> some ApplicationProtocol {
        let router = Router()
        DashboardController<BasicRequestContext>().addRoutes(to: router)
        OpenAPIController<BasicRequestContext>().addRoutes(to: router)
        return Application(router: router)
    }

    @Test func shellIsServedAtTheRootAndUnderDashboard() async throws {
        try await application().test(.router) { client in
            for path in ["/", "/dashboard", "/dashboard/"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                    #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true)
                    #expect(response.headers[.eTag] == DashboardAssets.index.entityTag)
                    #expect(String(buffer: response.body).contains("<script type=\"module\" src=\"/dashboard/app.js\">"))
                }
            }
        }
    }

    @Test func filesAreServedWithTheirTypeAndBytes() async throws {
        try await application().test(.router) { client in
            for asset in DashboardAssets.all {
                try await client.execute(uri: "/dashboard/\(asset.name)", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == asset.contentType)
                    #expect(response.headers[.xContentTypeOptions] == "nosniff")
                    #expect(Array(buffer: response.body) == asset.bytes)
                }
            }
        }
    }

    @Test func unknownFileIs404() async throws {
        try await application().test(.router) { client in
            try await client.execute(uri: "/dashboard/secret.txt", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body).contains("secret.txt"))
            }
            try await client.execute(uri: "/dashboard/../openapi.yaml", method: .get) { response in
                #expect(response.status != .ok || response.headers[.contentType] != "application/yaml; charset=utf-8")
            }
        }
    }

    @Test func matchingEntityTagGives304WithoutBody() async throws {
        let asset = try #require(DashboardAssets.asset(named: "app.js"))
        try await application().test(.router) { client in
            try await client.execute(uri: "/dashboard/app.js", method: .get, headers: [.ifNoneMatch: asset.entityTag]) { response in
                #expect(response.status == .notModified)
                #expect(response.body.readableBytes == 0)
            }
            try await client.execute(uri: "/dashboard/app.js", method: .get, headers: [.ifNoneMatch: "\"0000000000000000\""]) {
                response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func openAPIDocumentIsServedAsYAML() async throws {
        try await application().test(.router) { client in
            try await client.execute(uri: "/openapi.yaml", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/yaml; charset=utf-8")
                #expect(String(buffer: response.body).hasPrefix("openapi: 3.1."))
            }
        }
    }
}
