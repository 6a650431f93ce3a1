import FinchRecommend
import Foundation
import Testing

/// `finch recommend train --algorithm als --distributed mpi` equals single-process ALS.
@Suite(.serialized) struct DistributedALSCLITests {
    static let common = ["train", "--ratings", RecommendCLI.tinyRatings, "--implicit", "--algorithm", "als", "--factors", "4"]

    static func factors(_ directory: String) throws -> (user: [Float], item: [Float]) {
        let model = try RecommenderModel.load(from: URL(fileURLWithPath: directory))
        let als = try #require(model.recommender as? ImplicitALSRecommender)
        return (als.userFactors, als.itemFactors)
    }

    static func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
        zip(a, b).reduce(Float(0)) { Swift.max($0, Swift.abs($1.0 - $1.1)) }
    }

    @Test(arguments: [2, 3]) func ranksEqualOneProcess(ranks: Int) async throws {
        let single = RecommendCLI.temporary("als-1")
        let (s1, _, e1) = try await offPool { try RecommendCLI.run(Self.common + ["--out", single]) }
        #expect(s1 == 0, "\(e1)")
        let parallel = RecommendCLI.temporary("als-\(ranks)")
        let (s2, out, e2) = try await offPool {
            try MPIRun.local(ranks: ranks, ["recommend"] + Self.common + ["--out", parallel, "--distributed", "mpi"])
        }
        #expect(s2 == 0, "\(e2)")
        // Rank 0 alone prints the summary.
        #expect(out.split(separator: "\n").count == 1, "\(out)")
        let a = try Self.factors(single), b = try Self.factors(parallel)
        #expect(a.user.count == b.user.count && a.item.count == b.item.count && !a.user.isEmpty)
        #expect(Self.maxDifference(a.user, b.user) <= 1e-5)
        #expect(Self.maxDifference(a.item, b.item) <= 1e-5)
    }

    @Test func otherAlgorithmsAreRefused() async throws {
        let (status, _, err) = try await offPool {
            try MPIRun.local(
                ranks: 1,
                [
                    "recommend", "train", "--ratings", RecommendCLI.tinyRatings, "--algorithm", "svd", "--out",
                    RecommendCLI.temporary("svd"), "--distributed", "mpi",
                ])
        }
        #expect(status != 0)
        #expect(err.contains("--distributed mpi trains als only"), "\(err)")
    }
}
