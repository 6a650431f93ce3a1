import Foundation
import Testing

@testable import FinchServer

/// The embedded files against the files in `Sources/FinchServer/Dashboard/Web/`.
@Suite struct DashboardAssetsTests {
    static let webFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/FinchServer/Dashboard/Web")

    static func webFileNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: webFolder.path).filter { !$0.hasPrefix(".") }.sorted()
    }

    @Test func everyWebFileIsListedWithItsBytes() throws {
        let files = try Self.webFileNames()
        #expect(files.count >= 10)
        #expect(DashboardAssets.all.map(\.name).sorted() == files)
        for asset in DashboardAssets.all {
            let onDisk = try Data(contentsOf: Self.webFolder.appendingPathComponent(asset.name))
            #expect(asset.bytes == [UInt8](onDisk), "\(asset.name) differs from the file")
        }
    }

    @Test func mediaTypesFollowTheExtension() throws {
        #expect(try #require(DashboardAssets.asset(named: "app.js")).contentType == "text/javascript; charset=utf-8")
        #expect(try #require(DashboardAssets.asset(named: "finch.css")).contentType == "text/css; charset=utf-8")
        #expect(DashboardAssets.index.contentType == "text/html; charset=utf-8")
        #expect(try #require(DashboardAssets.asset(named: "favicon.svg")).contentType == "image/svg+xml")
        #expect(DashboardAssets.asset(named: "missing.js") == nil)
    }

    @Test func entityTagsDifferPerFileAndAreQuotedHex() {
        let tags = DashboardAssets.all.map(\.entityTag)
        #expect(Set(tags).count == tags.count)
        for tag in tags {
            #expect(tag.count == 18 && tag.first == "\"" && tag.last == "\"")
        }
        #expect(DashboardAsset(name: "a.js", bytes: []).entityTag == "\"cbf29ce484222325\"")
    }

    /// Every `/dashboard/…` reference of the HTML and every relative import of the modules names a
    /// listed file, and nothing is loaded from another origin.
    @Test func referencesResolveAndStayOnThisOrigin() throws {
        let names = Set(DashboardAssets.all.map(\.name))
        let referencePattern = try Regex(#"(?:src|href)="([^"]+)""#)
        let importPattern = try Regex(#"(?:from|import)\s*\(?\s*'([^']+)'"#)
        var references = 0
        for asset in DashboardAssets.all {
            let text = String(decoding: asset.bytes, as: UTF8.self)
            for match in text.matches(of: referencePattern) {
                let target = String(try #require(match.output[1].substring))
                if target.hasPrefix("#") || target == "/openapi.yaml" { continue }
                #expect(target.hasPrefix("/dashboard/"), "\(asset.name) refers to \(target)")
                #expect(names.contains(String(target.dropFirst("/dashboard/".count))), "\(asset.name): no file \(target)")
                references += 1
            }
            for match in text.matches(of: importPattern) {
                let target = String(try #require(match.output[1].substring))
                #expect(target.hasPrefix("./"), "\(asset.name) imports \(target)")
                #expect(names.contains(String(target.dropFirst(2))), "\(asset.name): no module \(target)")
                references += 1
            }
            #expect(!text.contains("url(http"), "\(asset.name) loads a stylesheet resource from elsewhere")
        }
        #expect(references >= 14)
    }
}
