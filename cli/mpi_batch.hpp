#pragma once
// `tcsim batch` under mpirun (built with the `mpi` preset only): rank 0 coordinates - it
// prepares, journals and writes the results file exactly as a single-process batch does, and
// computes with its own threads too - and hands tasks out to the other ranks in chunks as they
// ask for them, so a rank with long tasks never holds up the rest. Ranks other than 0 write
// nothing. Results are the same as a single-process run: a task's random numbers depend only on
// (seed, replication, purpose), never on which rank ran it.

#include "batch_commands.hpp"

namespace tcsim::cli {

/// Initialises MPI, runs the batch as coordinator (rank 0) or worker, and finalises; on a
/// failure in any rank, every rank is stopped with that rank's exit code (MPI_Abort). A single
/// process (no mpirun, or -np 1) runs the ordinary batch.
int mpi_batch_command(const BatchArguments& args);

}  // namespace tcsim::cli
