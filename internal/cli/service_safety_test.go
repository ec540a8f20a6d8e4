package cli_test

import (
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestServiceStopsGracefullyOnSIGHUP sends SIGHUP, as a closing terminal
// or a supervisor does, during a slow request: the service stops as on
// SIGTERM, answering the request and exiting 0.
func TestServiceStopsGracefullyOnSIGHUP(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a generated service (-short)")
	}
	requireTool(t, "make")
	dir := copyGolden(t, "default", "myservice")
	addTestRoutes(t, dir, false)
	run(t, dir, "make", "build", "VERSION=v1.2.3-test")
	s := start(t, dir, "", "SHUTDOWN_DELAY=0s", "SHUTDOWN_TIMEOUT=10s")
	s.waitFor(t, "/-/ready")

	var wg sync.WaitGroup
	wg.Go(func() {
		resp, err := http.Get(s.base + "/slow?ms=1500")
		if err != nil {
			t.Errorf("the request in flight at SIGHUP: %v", err)
			return
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("the request in flight at SIGHUP: %d", resp.StatusCode)
		}
	})
	time.Sleep(300 * time.Millisecond)
	if err := s.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("exit after SIGHUP: %v, want 0", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no exit within 15s of SIGHUP")
	}
	if out := s.out.String(); !strings.Contains(out, `"msg":"shutting down"`) || !strings.Contains(out, `"msg":"stopped"`) {
		t.Errorf("no graceful shutdown in the log:\n%s", out)
	}
}
