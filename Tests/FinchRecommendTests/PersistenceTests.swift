import FinchNN
import FinchTensor
import Foundation
import Testing

@testable import FinchRecommend

@Suite struct PersistenceTests {
    @Test func modelsAreSavedWithFinchNNSafetensorsIntegersStayIntegers() throws {
        let (data, _) = TestData.checkerboard()
        let model = try RecommenderModel.train(data, algorithm: .svd, parameters: ["factors": "3", "epochs": "2"])
        let dir = TestData.temporaryDirectory()
        try model.save(to: dir)
        let file = try SafetensorsFile(contentsOf: dir.appendingPathComponent("arrays.safetensors"))
        #expect(file.info("data.user_offsets")?.dtype == .int64)
        #expect(file.info("data.user_items")?.dtype == .int64)
        #expect(file.info("model.user_factors")?.dtype == .float32)
        let svd = try #require(model.recommender as? SVDRecommender)
        #expect(try file.tensor(named: "model.item_factors").scalars == svd.itemFactors)
        #expect(try file.int64Tensor(named: "data.user_offsets").ints == svd.trainingData.byUser.offsets)
        #expect(file.metadata == ["format": "finch-recommender"])
    }

    @Test func loadingRejectsNonFiniteParameters() throws {
        let (data, _) = TestData.checkerboard()
        let model = try RecommenderModel.train(data, algorithm: .bpr, parameters: ["factors": "2", "epochs": "2"])
        let dir = TestData.temporaryDirectory()
        try model.save(to: dir)
        let url = dir.appendingPathComponent("arrays.safetensors")
        let file = try SafetensorsFile(contentsOf: url)
        var floats = try file.tensors()
        var integers: [String: Int64Tensor] = [:]
        for name in ["data.user_offsets", "data.user_items"] {
            floats[name] = nil
            integers[name] = try file.int64Tensor(named: name)
        }
        var bias = floats["model.item_bias"]!.scalars
        bias[1] = .nan
        floats["model.item_bias"] = Tensor(shape: [bias.count], values: bias)
        try Safetensors.write(floats, integers: integers, metadata: file.metadata, to: url)
        #expect(throws: RecommendError.corruptModel(reason: "array 'item_bias' holds a non-finite value (nan at 1)")) {
            try RecommenderModel.load(from: dir)
        }
    }

    @Test func loadingMissingOrDamagedModelsFailsWithTheReason() throws {
        #expect(throws: RecommendError.self) { try RecommenderModel.load(from: URL(fileURLWithPath: "/nonexistent/model")) }
        let (data, _) = TestData.checkerboard()
        let model = try RecommenderModel.train(data, algorithm: .svd, parameters: ["factors": "3", "epochs": "2"])
        let dir = TestData.temporaryDirectory()
        try model.save(to: dir)
        let manifest = dir.appendingPathComponent("recommender.json")
        let original = try Data(contentsOf: manifest)
        try Data("{}".utf8).write(to: manifest)
        #expect(throws: RecommendError.self) { try RecommenderModel.load(from: dir) }
        // A manifest whose factor count disagrees with the stored arrays.
        var text = String(decoding: original, as: UTF8.self)
        text = text.replacingOccurrences(of: "\"factors\":\"3\"", with: "\"factors\":\"4\"")
        try Data(text.utf8).write(to: manifest)
        #expect(throws: RecommendError.corruptModel(reason: "array 'user_factors' has 48 values, expected 64")) {
            try RecommenderModel.load(from: dir)
        }
        try original.write(to: manifest)
        #expect(try RecommenderModel.load(from: dir).predict(user: "u0", item: "i3") == model.predict(user: "u0", item: "i3"))
    }

    @Test func savingOverAFileIsRefused() throws {
        let (data, _) = TestData.checkerboard()
        let model = try RecommenderModel.train(data, algorithm: .baseline)
        let path = try TestData.temporaryFile("occupied", "not a model")
        #expect(throws: RecommendError.self) { try model.save(to: URL(fileURLWithPath: path)) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "not a model")
    }

    @Test func savingNeverTouchesFilesItDidNotWrite() throws {
        let (data, _) = TestData.checkerboard()
        let model = try RecommenderModel.train(data, algorithm: .baseline)
        // A folder with someone else's files is refused and left as it was.
        let foreign = TestData.temporaryDirectory()
        try FileManager.default.createDirectory(at: foreign, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: foreign.appendingPathComponent("notes.txt"))
        #expect(throws: RecommendError.self) { try model.save(to: foreign) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: foreign.path) == ["notes.txt"])
        // In a model folder only the model's two files are replaced; others stay.
        let dir = TestData.temporaryDirectory()
        try model.save(to: dir)
        try Data("mine".utf8).write(to: dir.appendingPathComponent("README"))
        try model.save(to: dir)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["README", "arrays.safetensors", "recommender.json"])
        #expect(try String(contentsOf: dir.appendingPathComponent("README"), encoding: .utf8) == "mine")
    }
}

/// The defaults equal the reference libraries' (Surprise 1.1.5, implicit 0.7).
@Suite struct DefaultsTests {
    @Test func defaultsArePinned() throws {
        #expect(
            try SVDRecommender().parameters == [
                "factors": "100", "epochs": "20", "lr": "0.005", "reg": "0.02", "init_mean": "0.0", "init_std": "0.1",
                "biased": "true", "lr_bu": "none", "lr_bi": "none", "lr_pu": "none", "lr_qi": "none", "reg_bu": "none",
                "reg_bi": "none", "reg_pu": "none", "reg_qi": "none", "seed": "0",
            ])
        let svdpp = try SVDppRecommender().configuration
        #expect(svdpp.factors == 20 && svdpp.epochs == 20 && svdpp.lr == 0.007 && svdpp.reg == 0.02 && svdpp.initStd == 0.1)
        let baseline = try BaselineRecommender().options
        #expect(baseline.method == .als && baseline.effectiveEpochs == 10 && baseline.regUser == 15 && baseline.regItem == 10)
        let sgd = try BaselineRecommender(parameters: ["method": "sgd"]).options
        #expect(sgd.effectiveEpochs == 20 && sgd.reg == 0.02 && sgd.lr == 0.005)
        let als = try ImplicitALSRecommender().configuration
        #expect(als.factors == 100 && als.reg == 0.01 && als.alpha == 1 && als.epochs == 15 && als.cgSteps == 3 && als.solver == .cg)
        let bpr = try BPRRecommender().configuration
        #expect(bpr.factors == 100 && bpr.lr == 0.01 && bpr.reg == 0.01 && bpr.epochs == 100 && bpr.verifyNegatives)
        let knn = try ItemKNNRecommender().configuration
        #expect(knn.k == 40 && knn.minK == 1 && knn.similarity == .pearsonBaseline && knn.effectiveShrinkage == 100)
        #expect(knn.minSupport == 1 && knn.baseline == BaselineOptions())
        #expect(try ItemKNNRecommender(parameters: ["similarity": "cosine"]).configuration.effectiveShrinkage == 0)
    }

    @Test func surpriseAndImplicitSpellingsAreAccepted() throws {
        let svd = try SVDRecommender(parameters: ["n_factors": "7", "n_epochs": "3", "lr_all": "0.01", "reg_all": "0.1"]).configuration
        #expect(svd.factors == 7 && svd.epochs == 3 && svd.lr == 0.01 && svd.reg == 0.1)
        let als = try ImplicitALSRecommender(parameters: ["iterations": "4", "regularization": "0.5"]).configuration
        #expect(als.epochs == 4 && als.reg == 0.5)
        #expect(throws: RecommendError.self) { try SVDRecommender(parameters: ["n_factors": "7", "factors": "8"]) }
        #expect(throws: RecommendError.unknownAlgorithm("knn", known: Algorithm.allCases.map(\.rawValue))) { try Algorithm(named: "knn") }
    }
}
