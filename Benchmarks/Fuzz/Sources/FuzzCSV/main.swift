import Foundation
import FuzzSupport

exit(Fuzz.run({ fuzzCSV($0, $1) }))
