package main

import (
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/contoso/admincenter/models"
)

// runColdStart starts the built binary n times over the database and prints how
// long each took from the process's start to its first successful answer, for
// /healthz and for the sign-in page (a rendered page), with the CPU the process
// used until then: on a loaded machine the wall time mostly measures the wait for
// a core, the CPU time what the start costs.
func runColdStart(bin, db string, n int) error {
	fmt.Printf("Cold start over %s, %d starts each (%s)\n", db, n, uptimeLoad())
	fmt.Printf("%-28s %10s %10s %12s %12s\n", "first answer", "median", "best", "CPU median", "CPU best")
	for _, path := range []string{"/healthz", "/signin"} {
		var walls, cpus []time.Duration
		for range n {
			srv, took, err := startServerAt(bin, db, path)
			if err != nil {
				return err
			}
			cpu, _ := processCPU(srv.cmd.Process.Pid)
			srv.stop()
			walls, cpus = append(walls, took), append(cpus, cpu)
		}
		fmt.Printf("%-28s %10s %10s %12s %12s\n", "GET "+path, round(median(walls)), round(minDur(walls)), round(median(cpus)), round(minDur(cpus)))
	}
	return nil
}

// processCPU is the user and system CPU time a process has used so far.
func processCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The fields after the command name, which is in parentheses and may hold spaces.
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("short /proc/%d/stat", pid)
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	// Clock ticks: 100 a second on Linux.
	return time.Duration(utime+stime) * 10 * time.Millisecond, nil
}

// uptimeLoad is the machine's load average, printed with every figure.
func uptimeLoad() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "load unknown"
	}
	f := strings.Fields(string(b))
	return "load " + strings.Join(f[:3], " ")
}

// openRO opens the database read-only for picking targets, with its bind marker.
func openRO(path string) (*sql.DB, string, error) {
	driver, dsn, bind := "sqlite3", "file:"+path+"?mode=ro", "?"
	if models.IsPostgresDSN(path) {
		driver, dsn, bind = "pgx", path, "$1"
	}
	db, err := sql.Open(driver, dsn)
	return db, bind, err
}
