import CFinchMPI
import FinchDistributed
import Testing

@Suite struct CommunicatorTests {
    @Test func shimInterfaceVersion() { #expect(finch_mpi_abi_version() == 2) }

    @Test func singleProcessCollectivesLeaveDataAsItIs() throws {
        let c = SingleProcessCommunicator()
        #expect(c.rank == 0 && c.size == 1 && c.isRoot)
        var values: [Float] = [1, -2, 3.5]
        try c.allreduceSum(&values)
        #expect(values == [1, -2, 3.5])
        try c.allreduceAverage(&values)
        #expect(values == [1, -2, 3.5])
        try c.broadcast(&values, root: 0)
        #expect(values == [1, -2, 3.5])
        #expect(throws: DistributedError.invalidRank(1, size: 1)) { try c.broadcast(&values, root: 1) }
        #expect(try c.allgatherv(values) == values)
        #expect(try c.allgather(7) == [7])
        try c.requireAgreement(3, on: "the step")
        try c.barrier()
    }

    @Test func launcherIsNoticedFromTheEnvironment() throws {
        #expect(try LaunchEnvironment.detect([:]) == nil)
        #expect(try LaunchEnvironment.detect(["PATH": "/bin"]) == nil)
        #expect(
            try LaunchEnvironment.detect(["OMPI_COMM_WORLD_RANK": "1", "OMPI_COMM_WORLD_SIZE": "4"])
                == LaunchEnvironment(rank: 1, size: 4, source: "OMPI_COMM_WORLD_RANK"))
        #expect(try LaunchEnvironment.detect(["PMIX_RANK": "0"]) == LaunchEnvironment(rank: 0, size: nil, source: "PMIX_RANK"))
        #expect(
            try LaunchEnvironment.detect(["PMI_RANK": "2", "PMI_SIZE": "3"]) == LaunchEnvironment(rank: 2, size: 3, source: "PMI_RANK"))
        #expect(throws: DistributedError.self) { try LaunchEnvironment.detect(["OMPI_COMM_WORLD_RANK": "x"]) }
        #expect(throws: DistributedError.self) { try LaunchEnvironment.detect(["OMPI_COMM_WORLD_RANK": "4", "OMPI_COMM_WORLD_SIZE": "4"]) }
    }

    @Test func withoutALauncherOneProcessTrainsAlone() throws {
        #expect(try DistributedMode.communicator(for: nil, environment: [:]) is SingleProcessCommunicator)
        #expect(try DistributedMode.communicator(for: .off, environment: ["OMPI_COMM_WORLD_RANK": "0"]) is SingleProcessCommunicator)
    }

    @Test func aMissingLibraryIsReportedWithTheInstallCommand() throws {
        do {
            try MPICommunicator.load(library: "/nonexistent/libmpi.so.40")
            Issue.record("loading a missing library succeeded")
        } catch let error as DistributedError {
            guard case .mpiNotInstalled(let reason) = error else { throw error }
            #expect(reason.contains("/nonexistent/libmpi.so.40"))
            #expect(error.description.contains("apt-get install libopenmpi-dev openmpi-bin"))
        }
    }

    @Test func aLibraryThatIsNotOpenMPIIsRefused() throws {
        do {
            try MPICommunicator.load(library: "libm.so.6")
            Issue.record("libm was taken for Open MPI")
        } catch let error as DistributedError {
            guard case let .notOpenMPI(library, reason) = error else { throw error }
            #expect(library == "libm.so.6")
            #expect(reason.contains("ompi_mpi_comm_world"))
            #expect(error.description.contains("Open MPI's ABI"))
        }
    }

    @Test func disagreementNamesEveryRank() {
        let error = DistributedError.ranksDisagree(what: "the step", values: [4, 6])
        #expect(error.description == "the ranks disagree on the step: rank 0 has 4, rank 1 has 6")
    }
}
