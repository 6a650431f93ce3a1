import FinchRecommend
import Foundation

let args = CommandLine.arguments
let path = args.count > 1 ? args[1] : "/work/shared/data/movielens-100k/ratings.csv"
let algos = args.count > 2 ? args[2].split(separator: ",").map(String.init) : ["svd"]
var options = RatingFileOptions()
options.ratingScale = RatingScale(lower: 1, upper: 5)
let dataset = try RatingFileReader.read(path, options: options)
let splits = try Splitter.kFold(count: dataset.count, folds: 5, seed: 1)
var implicitOptions = options
implicitOptions.implicit = true
let implicitData = try RatingFileReader.read(path, options: implicitOptions)
let last = try Splitter.leaveLastK(implicitData, k: 1)
for a in algos {
    let start = ContinuousClock.now
    if a.hasPrefix("rank:") {
        let name = String(a.dropFirst(5))
        let params: [String: String] = name == "als" ? ["factors": "64"] : [:]
        let report = try Evaluator.evaluate(implicitData, algorithm: try Algorithm(named: name), parameters: params, splits: [last], metrics: .ranking(k: 10))
        let d = ContinuousClock.now - start
        print(name, report.meanRanking!, d)
    } else {
        let report = try Evaluator.evaluate(dataset, algorithm: try Algorithm(named: a), splits: splits, metrics: .rating)
        let d = ContinuousClock.now - start
        print(a, report.meanRating!.rmse, report.meanRating!.mae, d)
    }
}
