#!/usr/bin/env bash
# The Slurm recipe, end to end on this machine: starts a private slurmctld + slurmd on localhost
# (Debian's slurm-wlm, its own ports, state and config in a temporary folder), runs
#   1. tools/slurm/single-node.sbatch as a 2-task job (rank 0 + one computing rank, srun
#      --mpi=pmix): the results equal a serial run's, dataset for dataset;
#   2. the same srun without --mpi: plansim refuses with the explanation and writes nothing;
#   3. tools/slurm/sweep-array.sbatch as a 3-element job array (sweep --point N): the files equal
#      a serial sweep's;
# and stops both daemons. Exit status 77 (ctest: skipped) with a message only when Slurm is not
# installed or cannot start here (not root, daemons that do not come up).
#
#   tests/slurm/slurm_recipe.sh PLANSIM_BINARY
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(cd "$here/../.." && pwd)
plansim=${1:?usage: slurm_recipe.sh PLANSIM_BINARY}
plansim=$(cd "$(dirname "$plansim")" && pwd)/$(basename "$plansim")
python=/usr/bin/python3

skip() {
  echo "SKIPPED: $*" >&2
  exit 77
}
fail() {
  echo "FAILED: $*" >&2
  for f in "$work"/slurmctld.log "$work"/slurmd.log; do
    [ -f "$f" ] && { echo "--- end of $f" >&2; tail -n 15 "$f" >&2; }
  done
  exit 1
}

for tool in slurmctld slurmd sbatch srun sinfo scontrol; do
  command -v "$tool" >/dev/null || skip "Slurm is not installed ($tool missing; tools/install-deps.sh installs slurm-wlm)"
done
[ "$(id -u)" -eq 0 ] || skip "slurmd must run as root to launch jobs; run the test as root"
"$python" -c 'import h5py' 2>/dev/null || skip "python3-h5py missing (tools/install-deps.sh)"

work=$(mktemp -d /tmp/plansim-slurm-XXXXXX)
ctld_pid="" slurmd_pid=""
cleanup() {
  # Stop only the daemons this script started, by their pid.
  [ -n "$slurmd_pid" ] && kill "$slurmd_pid" 2>/dev/null
  [ -n "$ctld_pid" ] && kill "$ctld_pid" 2>/dev/null
  for _ in $(seq 50); do
    { [ -n "$slurmd_pid" ] && kill -0 "$slurmd_pid" 2>/dev/null; } ||
      { [ -n "$ctld_pid" ] && kill -0 "$ctld_pid" 2>/dev/null; } || break
    sleep 0.1
  done
  rm -rf "$work"
}
trap cleanup EXIT

# Free ports, so that several copies of this test (or a real Slurm) do not collide.
read -r ctld_port slurmd_port srun_low < <("$python" - <<'EOF'
import socket
socks = [socket.socket() for _ in range(3)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])
for s in socks: s.close()
EOF
)
host=$(hostname -s)
cpus=$(nproc)
memory_mb=$(($(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 / 2))
mkdir -p "$work/state" "$work/spool" "$work/out"
cat >"$work/slurm.conf" <<EOF
ClusterName=plansimtest$$
SlurmctldHost=${host}(127.0.0.1)
SlurmctldPort=${ctld_port}
SlurmdPort=${slurmd_port}
SrunPortRange=${srun_low}-$((srun_low + 20))
AuthType=auth/none
CredType=cred/none
SlurmUser=root
SlurmdUser=root
StateSaveLocation=${work}/state
SlurmdSpoolDir=${work}/spool
SlurmctldPidFile=${work}/slurmctld.pid
SlurmdPidFile=${work}/slurmd.pid
SlurmctldLogFile=${work}/slurmctld.log
SlurmdLogFile=${work}/slurmd.log
ProctrackType=proctrack/pgid
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
MpiDefault=none
ReturnToService=2
MailProg=/bin/true
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
DebugFlags=NO_CONF_HASH
NodeName=plansim1 NodeHostname=${host} NodeAddr=127.0.0.1 CPUs=${cpus} RealMemory=${memory_mb} State=UNKNOWN
PartitionName=test Nodes=plansim1 Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$work/slurm.conf

# -D: in the foreground of a background job, under `timeout` (which passes on the signal to
# stop them), so that the daemons end even if this script is killed before its cleanup.
timeout 300 slurmctld -D -i >>"$work/slurmctld.out" 2>&1 &
ctld_pid=$!
timeout 300 slurmd -D -N plansim1 >>"$work/slurmd.out" 2>&1 &
slurmd_pid=$!
up=""
for _ in $(seq 100); do
  state=$(sinfo -h -n plansim1 -o %t 2>/dev/null)
  [ "$state" = "idle" ] && { up=1; break; }
  kill -0 "$ctld_pid" 2>/dev/null && kill -0 "$slurmd_pid" 2>/dev/null || break
  sleep 0.2
done
if [ -z "$up" ]; then
  cat "$work"/slurmctld.out "$work"/slurmd.out >&2 2>/dev/null
  tail -n 5 "$work"/slurmctld.log "$work"/slurmd.log >&2 2>/dev/null
  skip "Slurm could not start on this machine (node state '${state:-none}')"
fi
srun --mpi=list 2>&1 | grep -qw pmix || fail "this Slurm has no PMIx plugin (srun --mpi=list)"
echo "slurm: slurmctld and slurmd up on localhost (ports $ctld_port, $slurmd_port), PMIx available"

cd "$source_dir" || exit 1
sample="--scale 0.01 --set run.end=2023 --seed 5"
# submit SBATCH_ARGS...: submits, waits (polling, quicker than sbatch --wait) and returns the job's
# exit status, the highest of an array's elements. A job that does not finish within 90 s is
# cancelled and fails the test instead of hanging it.
submit() {
  local id
  id=$(sbatch --parsable --time=00:05:00 "$@") || return 1
  for _ in $(seq 450); do
    [ -z "$(squeue -h -j "$id" -o %i 2>/dev/null)" ] && break
    sleep 0.2
  done
  if [ -n "$(squeue -h -j "$id" -o %i 2>/dev/null)" ]; then
    scancel "$id"
    echo "job $id did not finish within 90 s" >&2
    return 124
  fi
  scontrol -o show job "$id" | grep -o 'ExitCode=[0-9]*:[0-9]*' |
    awk -F'[=:]' '{ c = $3 > 0 ? 128 + $3 : $2; if (c > m) m = c } END { exit m + 0 }'
}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
"$plansim" run scenarios/baseline.yaml $sample --replicates 3 --threads 1 -q --no-summary \
  -o "$work/serial.h5" || fail "serial reference run"

# 1. The single-node script as a 2-task job: one computing rank + rank 0.
PLANSIM=$plansim REPLICATES=3 OUTPUT=$work/out/slurm.h5 PLANSIM_ARGS="$sample -q --no-summary" \
  submit --ntasks=1 --cpus-per-task=1 --mem-per-cpu=512M \
  --output="$work/job-%j.log" tools/slurm/single-node.sbatch ||
  { cat "$work"/job-*.log >&2; fail "tools/slurm/single-node.sbatch as a 2-task job"; }
"$python" - "$work/out/slurm.h5" <<'EOF' || fail "the Slurm run did not use 2 MPI ranks"
import sys, h5py
ranks = int(h5py.File(sys.argv[1], "r")["meta"].attrs["ranks"])
sys.exit(0 if ranks == 2 else f"ranks = {ranks}")
EOF
"$python" tools/same_results.py "$work/serial.h5" "$work/out/slurm.h5" >&2 ||
  fail "2 tasks under srun --mpi=pmix differ from the serial run"
echo "slurm: 2 tasks with srun --mpi=pmix (single-node.sbatch) = the serial run"

# 2. The same without --mpi: refused, with the explanation, nothing written.
log=$work/nompi.log
submit --ntasks=2 --cpus-per-task=1 --output="$log" --wrap \
  "srun --ntasks=2 '$plansim' run scenarios/baseline.yaml $sample -q -o '$work/out/nompi.h5'" &&
  fail "srun without --mpi must not succeed"
grep -q "error: srun started 2 tasks, but MPI connects none of them" "$log" ||
  { cat "$log" >&2; fail "srun without --mpi: no explanation"; }
grep -q "srun --mpi=pmix" "$log" || { cat "$log" >&2; fail "the explanation does not say how to launch"; }
[ ! -e "$work/out/nompi.h5" ] || fail "srun without --mpi wrote a file"
echo "slurm: srun without --mpi is refused with the explanation"

# 3. A 3-element job array over the points of a sweep.
sweep=tests/integration/fixtures/sweep_small.yaml
"$plansim" sweep "$sweep" --threads 1 -q -o "$work/sweep-serial" || fail "serial sweep"
PLANSIM=$plansim SWEEP=$sweep OUTPUT=$work/out/sweep submit --array=0-2 \
  --cpus-per-task=1 --mem-per-cpu=512M --output="$work/array-%A_%a.log" \
  tools/slurm/sweep-array.sbatch || { cat "$work"/array-*.log >&2; fail "tools/slurm/sweep-array.sbatch"; }
for p in 000 001 002; do
  "$python" tools/same_results.py "$work/sweep-serial/point-$p.h5" "$work/out/sweep/point-$p.h5" >&2 ||
    fail "array element for point $p differs from the serial sweep"
done
cmp -s "$work/sweep-serial/index.csv" "$work/out/sweep/index.csv" || fail "index.csv differs"
echo "slurm: a 3-element job array (sweep-array.sbatch, --point N) = the serial sweep"
