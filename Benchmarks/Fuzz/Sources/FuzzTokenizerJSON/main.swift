import FuzzSupport
import Foundation

exit(Fuzz.run({ fuzzTokenizerJSON($0, $1) }))
