import FuzzSupport
import Foundation

exit(Fuzz.run({ fuzzSafetensors($0, $1) }))
