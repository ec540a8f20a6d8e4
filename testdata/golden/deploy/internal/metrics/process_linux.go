package metrics

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
)

// userHZ is the unit of the times in /proc: 100 on every Linux that Go
// runs on (sysconf(_SC_CLK_TCK), fixed by the kernel's ABI).
const userHZ = 100

// writeProcess appends the process metrics, read from /proc/self as the
// Go client does. A file that cannot be read leaves its metrics out.
func writeProcess(e *exposition) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		cpu := float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
		e.family("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.")
		e.float("process_cpu_seconds_total", "", cpu)
	}
	var lim syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim) == nil {
		e.family("process_max_fds", "gauge", "Maximum number of open file descriptors.")
		e.uint("process_max_fds", "", lim.Cur)
	}
	if n, ok := openFDs(); ok {
		e.family("process_open_fds", "gauge", "Number of open file descriptors.")
		e.int("process_open_fds", "", n)
	}
	st, ok := readStat()
	if !ok {
		return
	}
	e.family("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.")
	e.int("process_resident_memory_bytes", "", st.rss*int64(os.Getpagesize()))
	if boot, ok := bootTime(); ok {
		e.family("process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.")
		e.float("process_start_time_seconds", "", float64(boot)+float64(st.start)/userHZ)
	}
	e.family("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.")
	e.int("process_virtual_memory_bytes", "", st.vsize)
}

// stat is what the metrics use of /proc/self/stat.
type stat struct {
	start int64 // clock ticks after boot
	vsize int64 // bytes
	rss   int64 // pages
}

// readStat reads /proc/self/stat (proc_pid_stat(5)).
func readStat() (stat, bool) {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return stat{}, false
	}
	return parseStat(b)
}

// parseStat parses a /proc/PID/stat line. The command name, field 2, is
// in parentheses and may hold spaces and parentheses: the fields that
// follow start after the last ')'.
func parseStat(b []byte) (stat, bool) {
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return stat{}, false
	}
	fields := bytes.Fields(b[i+1:]) // fields[0] is field 3, state
	field := func(n int) (int64, bool) {
		if n-3 >= len(fields) {
			return 0, false
		}
		v, err := strconv.ParseInt(string(fields[n-3]), 10, 64)
		return v, err == nil && v >= 0
	}
	var s stat
	var ok1, ok2, ok3 bool
	s.start, ok1 = field(22)
	s.vsize, ok2 = field(23)
	s.rss, ok3 = field(24)
	return s, ok1 && ok2 && ok3
}

// bootTime is the btime line of /proc/stat: the boot time in seconds
// since the epoch.
func bootTime() (uint64, bool) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, false
	}
	return parseBootTime(b)
}

func parseBootTime(b []byte) (uint64, bool) {
	for line := range bytes.Lines(b) {
		if rest, found := bytes.CutPrefix(line, []byte("btime ")); found {
			v, err := strconv.ParseUint(string(bytes.TrimSpace(rest)), 10, 64)
			return v, err == nil
		}
	}
	return 0, false
}

// openFDs counts the entries of /proc/self/fd, without the one that
// reads it.
func openFDs() (int64, bool) {
	d, err := os.Open("/proc/self/fd")
	if err != nil {
		return 0, false
	}
	defer d.Close()
	names, err := d.Readdirnames(-1)
	if err != nil {
		return 0, false
	}
	return int64(len(names)) - 1, true
}
