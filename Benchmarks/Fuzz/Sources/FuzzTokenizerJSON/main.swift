import Foundation
import FuzzSupport

exit(Fuzz.run({ fuzzTokenizerJSON($0, $1) }))
