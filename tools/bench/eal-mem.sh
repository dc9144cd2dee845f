# SPDX-License-Identifier: BSD-3-Clause
# Sourced by the tools/bench-* scripts. bench_eal_mem PAGES: sets $mem to the EAL
# memory arguments for a benchmark needing PAGES 2 MiB hugepages: --in-memory on
# hugepages when (as root) it can mount and reserve them, else --no-huge (twice as much).
bench_eal_mem() {
	local pages=$1 free
	mem="--in-memory"
	if [ "$(id -u)" -eq 0 ]; then
		mountpoint -q /dev/hugepages || { mkdir -p /dev/hugepages; mount -t hugetlbfs nodev /dev/hugepages 2>/dev/null || true; }
		free=$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)
		[ "$free" -ge "$pages" ] || echo $(($(cat /proc/sys/vm/nr_hugepages) + pages - free)) >/proc/sys/vm/nr_hugepages 2>/dev/null || true
		free=$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)
		[ "$free" -ge "$pages" ] || mem="--no-huge -m $((pages * 4))"
	else
		mem="--no-huge -m $((pages * 4))"
	fi
}
