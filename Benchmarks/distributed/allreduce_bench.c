/* Allreduce cost of one step's gradients, packed as Finch's GradientBuckets packs them:
 * tensors of all-MiniLM-L6-v2 (+ classifier head) in model order; consecutive tensors share a
 * bucket of at most BUCKET_MB (copied in and out of a staging buffer), a tensor larger than a
 * bucket is reduced in place in bucket-sized pieces. Prints, from rank 0, the median and the
 * minimum over ITERATIONS of one whole step's reduction, in milliseconds, as JSON.
 * Build: mpicc -O2 -o allreduce_bench allreduce_bench.c */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    double bucket_mb = argc > 1 ? atof(argv[1]) : 25;
    int iterations = argc > 2 ? atoi(argv[2]) : 10;
    /* all-MiniLM-L6-v2: embeddings, 6 layers, pooler (drawn new) and a 2-label classifier. */
    long tensors[128];
    int n = 0;
    long hidden = 384, inter = 1536;
    tensors[n++] = 30522 * hidden; tensors[n++] = 512 * hidden; tensors[n++] = 2 * hidden;
    tensors[n++] = hidden; tensors[n++] = hidden;
    for (int l = 0; l < 6; l++) {
        for (int q = 0; q < 4; q++) { tensors[n++] = hidden * hidden; tensors[n++] = hidden; }
        tensors[n++] = hidden; tensors[n++] = hidden;
        tensors[n++] = hidden * inter; tensors[n++] = inter; tensors[n++] = inter * hidden; tensors[n++] = hidden;
        tensors[n++] = hidden; tensors[n++] = hidden;
    }
    tensors[n++] = hidden * hidden; tensors[n++] = hidden; tensors[n++] = 2 * hidden; tensors[n++] = 2;
    long total = 0;
    for (int i = 0; i < n; i++) total += tensors[i];
    long capacity = (long)(bucket_mb * 1048576 / 4);
    if (capacity < 1) capacity = 1;
    float *grads = malloc(total * sizeof(float)), *staging = malloc(capacity * sizeof(float));
    for (long i = 0; i < total; i++) grads[i] = (float)((i * 2654435761u) % 1000) * 1e-3f;
    double *times = malloc(iterations * sizeof(double));
    int messages = 0;
    for (int it = -1; it < iterations; it++) {  /* one warm-up */
        MPI_Barrier(MPI_COMM_WORLD);
        double start = MPI_Wtime();
        long offset = 0, filled = 0, pending_start = 0;
        messages = 0;
        for (int t = 0; t <= n; t++) {
            long count = t < n ? tensors[t] : 0;
            int flush = t == n || count > capacity || filled + count > capacity;
            if (flush && filled > 0) {
                MPI_Allreduce(MPI_IN_PLACE, staging, (int)filled, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
                memcpy(grads + pending_start, staging, filled * sizeof(float));
                messages++;
                filled = 0;
            }
            if (t == n) break;
            if (count > capacity) {
                for (long s = 0; s < count; s += capacity) {
                    long m = count - s < capacity ? count - s : capacity;
                    MPI_Allreduce(MPI_IN_PLACE, grads + offset + s, (int)m, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
                    messages++;
                }
                pending_start = offset + count;
            } else {
                if (filled == 0) pending_start = offset;
                memcpy(staging + filled, grads + offset, count * sizeof(float));
                filled += count;
            }
            offset += count;
        }
        double elapsed = MPI_Wtime() - start, slowest;
        MPI_Allreduce(&elapsed, &slowest, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
        if (it >= 0) times[it] = slowest;
    }
    qsort(times, iterations, sizeof(double), compare);
    if (rank == 0)
        printf("{\"ranks\": %d, \"floats\": %ld, \"bucket_mb\": %g, \"messages\": %d, \"median_ms\": %.2f, \"min_ms\": %.2f}\n", size,
               total, bucket_mb, messages, times[iterations / 2] * 1e3, times[0] * 1e3);
    free(grads); free(staging); free(times);
    MPI_Finalize();
    return 0;
}
