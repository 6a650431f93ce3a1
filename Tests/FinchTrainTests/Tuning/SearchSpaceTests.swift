import Foundation
import Testing

@testable import FinchTrain

/// `finch tune --search name=spec`: each kind of specification, and what each bad one says.
@Suite struct SearchSpaceTests {
    @Test func theIssuesSpecificationsParse() throws {
        let space = try SearchSpace(parsing: [
            "lr=loguniform(1e-5,2e-4)", "batch-size=16,32", "warmup-ratio=uniform(0,0.2)", "epochs = int(1, 4)", "schedule=linear,cosine",
        ])
        #expect(space.parameters.map(\.name) == ["lr", "batch-size", "warmup-ratio", "epochs", "schedule"])
        #expect(
            space.parameters.map(\.distribution) == [
                .logUniform(low: 1e-5, high: 2e-4), .categorical([.integer(16), .integer(32)]), .uniform(low: 0, high: 0.2),
                .integer(low: 1, high: 4), .categorical([.text("linear"), .text("cosine")]),
            ])
        #expect(space.parameters[0].specification == "lr=loguniform(1e-5,2e-4)")
        // A list of reals, and a one-value list (a fixed setting).
        #expect(try SearchSpace.parse("weight-decay=0,0.01,0.1").distribution == .categorical([.real(0), .real(0.01), .real(0.1)]))
        #expect(try SearchSpace.parse("max-length=64").distribution == .categorical([.integer(64)]))
    }

    @Test(arguments: [
        ("lr", "expected name=spec, as lr=loguniform(1e-5,2e-4) or batch-size=16,32"),
        ("lr=", "expected name=spec"),
        ("lrate=uniform(0,1)", "unknown setting 'lrate'; the settings that can be searched are lr, batch-size, warmup-ratio"),
        ("lr=loguniform(2e-4,1e-5)", "the low end 2e-4 must be below the high end 1e-5"),
        ("lr=uniform(1e-5,1e-5)", "the low end 1e-5 must be below the high end 1e-5"),
        ("epochs=int(3,3)", "the low end 3 must be below the high end 3"),
        ("lr=loguniform(0,1e-4)", "loguniform needs a low end above 0, got 0"),
        ("weight-decay=loguniform(-1,1)", "loguniform needs a low end above 0, got -1"),
        ("lr=uniform(a,1)", "uniform(a,b) needs two numbers, got 'a' and '1'"),
        ("lr=uniform(1e-5)", "uniform(a,b) takes two numbers, got 1"),
        ("lr=normal(1e-5,1e-4)", "unknown distribution 'normal'"),
        ("lr=uniform(1e-5,1e-4", "unbalanced parentheses"),
        ("batch-size=uniform(8,32)", "'batch-size' takes whole numbers: use int(a,b) or a list"),
        ("lr=int(1,2)", "'lr' takes real numbers: use uniform(a,b) or loguniform(a,b)"),
        ("schedule=uniform(0,1)", "'schedule' takes a list of values"),
        ("batch-size=16,x", "'x' is not a whole number"),
        ("lr=1e-5,fast", "'fast' is not a number"),
        ("batch-size=16,,32", "a list with an empty value"),
        ("batch-size=16,16", "'16' is listed twice"),
        ("schedule=linear,step", "'step' is not a schedule; choose from constant, linear, cosine"),
        ("warmup-ratio=uniform(0,1)", "warmup-ratio must be in [0, 1), got 1"),
        ("batch-size=0,16", "batch-size must be at least 1, got 0"),
        ("lr=uniform(-1e-5,1e-4)", "lr must be above 0, got -1e-05"),
        ("max-length=int(2,64)", "max-length must be at least 4, got 2"),
    ])
    func badSpecificationsSayWhatIsWrong(spec: String, message: String) {
        do {
            _ = try SearchSpace.parse(spec)
            Issue.record("\(spec) parsed")
        } catch let error as SearchSpaceError {
            #expect(error.specification == spec)
            #expect(error.reason.hasPrefix(message), "\(error.reason)")
            #expect(error.description == "'\(spec)': \(error.reason)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func aSettingSearchedTwiceOrNothingSearchedIsAnError() {
        #expect(throws: SearchSpaceError(specification: "lr=1e-5", reason: "'lr' is searched twice; give it once")) {
            try SearchSpace(parsing: ["lr=uniform(1e-5,1e-4)", "lr=1e-5"])
        }
        #expect(throws: SearchSpaceError(specification: "", reason: "nothing to search; give at least one name=spec")) {
            try SearchSpace(parsing: [])
        }
    }

    @Test func settingsApplyToTheRequest() {
        let here = URL(fileURLWithPath: "/tmp")
        var r = FineTuningRequest(modelDirectory: here, trainFile: here, outputDirectory: here)
        r.training.warmupSteps = 7
        TunableSetting.learningRate.apply(.real(3e-5), to: &r)
        TunableSetting.batchSize.apply(.integer(32), to: &r)
        TunableSetting.warmupRatio.apply(.real(0.1), to: &r)
        TunableSetting.weightDecay.apply(.real(0.05), to: &r)
        TunableSetting.epochs.apply(.integer(2), to: &r)
        TunableSetting.maxLength.apply(.integer(64), to: &r)
        TunableSetting.schedule.apply(.text("cosine"), to: &r)
        TunableSetting.loraRank.apply(.integer(4), to: &r)
        #expect(r.training.learningRate == 3e-5 && r.training.batchSize == 32 && r.training.epochs == 2)
        #expect(r.training.warmupRatio == 0.1 && r.training.warmupSteps == nil && r.training.weightDecay == 0.05)
        #expect(r.maxLength == 64 && r.training.schedule == .cosine)
        #expect(r.lora?.rank == 4 && r.lora?.alpha == 8 && r.lora?.targetModules == ["query", "value"])
        #expect(throws: Never.self) { try r.validateSettings() }
    }
}
