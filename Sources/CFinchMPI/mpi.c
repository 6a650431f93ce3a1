// See finch_mpi.h: Open MPI through dlopen/dlsym.
#include "finch_mpi.h"

#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int finch_mpi_abi_version(void) { return 2; }

typedef void *handle;  // MPI_Comm, MPI_Datatype, MPI_Op: pointers in Open MPI

static void *library_handle;
static char library_name[256];
static handle comm_world, type_float, type_double, type_int, op_sum, op_max;
static int (*p_init_thread)(int *, char ***, int, int *);
static int (*p_initialized)(int *);
static int (*p_finalize)(void);
static int (*p_comm_rank)(handle, int *);
static int (*p_comm_size)(handle, int *);
static int (*p_allreduce)(const void *, void *, int, handle, handle, handle);
static int (*p_bcast)(void *, int, handle, int, handle);
static int (*p_allgather)(const void *, int, handle, void *, int, handle, handle);
static int (*p_allgatherv)(const void *, int, handle, void *, const int *, const int *, handle, handle);
static int (*p_barrier)(handle);
static int (*p_abort)(handle, int);

#define FINCH_MPI_IN_PLACE ((void *)1)  // Open MPI's MPI_IN_PLACE
#define FINCH_MPI_THREAD_FUNNELED 1

static void *resolve(const char *name, const char **missing) {
    void *p = dlsym(library_handle, name);
    if (!p && !*missing) *missing = name;
    return p;
}

int finch_mpi_load(const char *library, char *error, size_t error_size) {
    if (library_handle) return 0;
    const char *candidates[] = {"libmpi.so.40", "libmpi.so"};
    void *h = NULL;
    if (library) {
        // RTLD_GLOBAL: Open MPI's plugins (mca_*.so) resolve their symbols against libmpi.
        h = dlopen(library, RTLD_NOW | RTLD_GLOBAL);
        snprintf(library_name, sizeof library_name, "%s", library);
    } else {
        for (int i = 0; i < 2 && !h; i++) {
            h = dlopen(candidates[i], RTLD_NOW | RTLD_GLOBAL);
            snprintf(library_name, sizeof library_name, "%s", candidates[i]);
        }
    }
    if (!h) {
        const char *why = dlerror();
        snprintf(error, error_size, "%s", why ? why : "dlopen failed");
        return 1;
    }
    library_handle = h;
    const char *missing = NULL;
    comm_world = resolve("ompi_mpi_comm_world", &missing);
    type_float = resolve("ompi_mpi_float", &missing);
    type_double = resolve("ompi_mpi_double", &missing);
    type_int = resolve("ompi_mpi_int", &missing);
    op_sum = resolve("ompi_mpi_op_sum", &missing);
    op_max = resolve("ompi_mpi_op_max", &missing);
    *(void **)&p_init_thread = resolve("MPI_Init_thread", &missing);
    *(void **)&p_initialized = resolve("MPI_Initialized", &missing);
    *(void **)&p_finalize = resolve("MPI_Finalize", &missing);
    *(void **)&p_comm_rank = resolve("MPI_Comm_rank", &missing);
    *(void **)&p_comm_size = resolve("MPI_Comm_size", &missing);
    *(void **)&p_allreduce = resolve("MPI_Allreduce", &missing);
    *(void **)&p_bcast = resolve("MPI_Bcast", &missing);
    *(void **)&p_allgather = resolve("MPI_Allgather", &missing);
    *(void **)&p_allgatherv = resolve("MPI_Allgatherv", &missing);
    *(void **)&p_barrier = resolve("MPI_Barrier", &missing);
    *(void **)&p_abort = resolve("MPI_Abort", &missing);
    if (missing) {
        snprintf(error, error_size, "%s has no symbol %s", library_name, missing);
        dlclose(h);
        library_handle = NULL;
        return 2;
    }
    return 0;
}

int finch_mpi_loaded(void) { return library_handle != NULL; }
const char *finch_mpi_library_name(void) { return library_name; }

static handle type_handle(finch_mpi_type t) {
    switch (t) {
    case FINCH_MPI_FLOAT: return type_float;
    case FINCH_MPI_DOUBLE: return type_double;
    default: return type_int;
    }
}

#define REQUIRE_LOADED \
    if (!library_handle) return -1

int finch_mpi_init(int *provided) {
    REQUIRE_LOADED;
    return p_init_thread(NULL, NULL, FINCH_MPI_THREAD_FUNNELED, provided);
}

int finch_mpi_initialized(int *flag) {
    REQUIRE_LOADED;
    return p_initialized(flag);
}

int finch_mpi_finalize(void) {
    REQUIRE_LOADED;
    return p_finalize();
}

int finch_mpi_rank(int *rank) {
    REQUIRE_LOADED;
    return p_comm_rank(comm_world, rank);
}

int finch_mpi_size(int *size) {
    REQUIRE_LOADED;
    return p_comm_size(comm_world, size);
}

int finch_mpi_allreduce(void *buffer, int count, finch_mpi_type type, finch_mpi_op op) {
    REQUIRE_LOADED;
    return p_allreduce(FINCH_MPI_IN_PLACE, buffer, count, type_handle(type), op == FINCH_MPI_SUM ? op_sum : op_max, comm_world);
}

int finch_mpi_bcast(void *buffer, int count, finch_mpi_type type, int root) {
    REQUIRE_LOADED;
    return p_bcast(buffer, count, type_handle(type), root, comm_world);
}

int finch_mpi_allgather(const void *send, int count, void *receive, finch_mpi_type type) {
    REQUIRE_LOADED;
    return p_allgather(send, count, type_handle(type), receive, count, type_handle(type), comm_world);
}

int finch_mpi_allgatherv(
    const void *send, int count, void *receive, const int *counts, const int *displacements, finch_mpi_type type) {
    REQUIRE_LOADED;
    return p_allgatherv(send, count, type_handle(type), receive, counts, displacements, type_handle(type), comm_world);
}

int finch_mpi_barrier(void) {
    REQUIRE_LOADED;
    return p_barrier(comm_world);
}

int finch_mpi_abort(int code) {
    REQUIRE_LOADED;
    return p_abort(comm_world, code);
}

static char termination_message[1024];
static volatile sig_atomic_t termination_length;

static void on_terminate(int signal_number) {
    (void)signal_number;
    if (termination_length > 0) {
        ssize_t ignored = write(2, termination_message, (size_t)termination_length);
        (void)ignored;
    }
    _exit(143);
}

void finch_mpi_set_termination_message(const char *message) {
    termination_length = 0;
    size_t n = strlen(message);
    if (n >= sizeof termination_message) n = sizeof termination_message - 1;
    memcpy(termination_message, message, n);
    termination_length = (sig_atomic_t)n;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_terminate;
    sigemptyset(&action.sa_mask);
    sigaction(SIGTERM, &action, NULL);
}
