import FinchTensor
@main struct Bench { static func main() {} }
