package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// runCSV times the full Mailbox access CSV export (no filters) of the running
// server and samples the server's resident memory while it streams: the figure is
// the peak of VmRSS seen every 20 ms during the export, beside VmHWM (the peak since
// the process started, which includes the start and the sign-in).
// After limit the export is cut off and the rows read until then are reported, so
// an export far slower than its target cannot hold up the run.
func runCSV(srv *server, cookie string, limit time.Duration) error {
	pid := srv.cmd.Process.Pid
	before, _ := procStatusKB(pid, "VmRSS:")
	fmt.Printf("Mailbox access CSV, the whole tenant (%s)\n", uptimeLoad())
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.base+"/reports/mailbox-access/export", nil)
	req.Header.Set("Cookie", cookie)
	stop := make(chan struct{})
	var peak int
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			if kb, err := procStatusKB(pid, "VmRSS:"); err == nil {
				peak = max(peak, kb)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	start := time.Now()
	res, err := (&http.Client{Transport: &http.Transport{DisableCompression: true}}).Do(req)
	if err != nil {
		close(stop)
		wg.Wait()
		return err
	}
	var first time.Duration
	c := &lineCounter{onFirst: func() { first = time.Since(start) }}
	_, err = io.Copy(c, res.Body)
	res.Body.Close()
	took := time.Since(start)
	close(stop)
	wg.Wait()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("export: %s", res.Status)
	}
	cut := ""
	if err != nil {
		if ctx.Err() == nil {
			return fmt.Errorf("read the export: %w", err)
		}
		cut = fmt.Sprintf(" - NOT FINISHED: cut off after -csv-limit %s", limit)
	}
	hwm, _ := procStatusKB(pid, "VmHWM:")
	rows := max(c.lines-1, 0) // the header
	fmt.Printf("  %d rows, %.1f MB in %s (first bytes after %s, %.0f rows/s)%s\n", rows, float64(c.bytes)/(1<<20),
		round(took), round(first), float64(rows)/took.Seconds(), cut)
	fmt.Printf("  server RSS: %.1f MB before, %.1f MB at most during the export (VmHWM since start %.1f MB)  %s\n",
		float64(before)/1024, float64(peak)/1024, float64(hwm)/1024, uptimeLoad())
	return nil
}

// lineCounter counts the bytes and newlines written to it. A CSV field may hold a
// newline in quotes; the generated tenant's names hold none, so lines are rows.
type lineCounter struct {
	bytes, lines int
	onFirst      func()
}

func (c *lineCounter) Write(p []byte) (int, error) {
	if c.bytes == 0 && len(p) > 0 && c.onFirst != nil {
		c.onFirst()
	}
	c.bytes += len(p)
	c.lines += bytes.Count(p, []byte{'\n'})
	return len(p), nil
}

// procStatusKB reads a "Name:  N kB" field of /proc/PID/status.
func procStatusKB(pid int, field string) (int, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, field) {
			if f := strings.Fields(line); len(f) >= 2 {
				return strconv.Atoi(f[1])
			}
		}
	}
	return 0, errors.New("no " + field + " in /proc/" + strconv.Itoa(pid) + "/status")
}

// runModes measures one thing or several on the database, each in the order
// given: coldstart, fixed-rate and csv (one server serves the last two).
func runModes(bin, db string, cfg config) error {
	modes := strings.Split(cfg.mode, ",")
	for _, m := range modes {
		switch m {
		case "coldstart", "fixed-rate", "csv":
		default:
			return fmt.Errorf("-mode %q: all, or coldstart, fixed-rate and csv, one or several comma-separated", m)
		}
	}
	var srv *server
	var cookie string
	for i, m := range modes {
		if i > 0 {
			fmt.Println()
		}
		if m == "coldstart" {
			if err := runColdStart(bin, db, cfg.starts); err != nil {
				return err
			}
			continue
		}
		if srv == nil {
			var err error
			if srv, _, err = startServer(bin, db); err != nil {
				return err
			}
			defer srv.stop()
			if cookie, _, err = signIn(srv.base); err != nil {
				return err
			}
		}
		var err error
		if m == "fixed-rate" {
			err = runFixedRate(srv, db, cookie, cfg.only, cfg.rate, cfg.duration)
		} else {
			err = runCSV(srv, cookie, cfg.csvLimit)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
