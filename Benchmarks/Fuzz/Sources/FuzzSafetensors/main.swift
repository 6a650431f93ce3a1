import Foundation
import FuzzSupport

exit(Fuzz.run({ fuzzSafetensors($0, $1) }))
