import FuzzSupport
import Foundation

exit(Fuzz.run({ fuzzCSV($0, $1) }))
