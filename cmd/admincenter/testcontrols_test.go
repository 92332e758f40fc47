package main

import (
	"strings"
	"testing"
	"time"
)

func TestTestControlsOnlyOnLoopback(t *testing.T) {
	t.Parallel()
	for _, addr := range []string{"127.0.0.1:8080", "[::1]:8080", "localhost:0", "127.0.0.2:1"} {
		cfg, err := parseServe([]string{"--addr", addr, "--test-controls"}, env(nil))
		if err != nil || !cfg.TestControls {
			t.Errorf("%s: %v", addr, err)
		}
	}
	for _, addr := range []string{":8080", "0.0.0.0:8080", "[::]:8080", "192.168.1.10:8080", "admin.contoso.com:8080"} {
		if _, err := parseServe([]string{"--addr", addr, "--test-controls"}, env(nil)); err == nil || !strings.Contains(err.Error(), "loopback") {
			t.Errorf("--test-controls on %s: %v", addr, err)
		}
	}
	if _, err := parseServe([]string{"--test-controls", "--public-url", "https://admin.contoso.com"}, env(nil)); err == nil {
		t.Error("--test-controls behind a proxy was accepted")
	}
	if cfg, _ := parseServe(nil, env(nil)); cfg.TestControls {
		t.Error("test controls are on by default")
	}
	if cfg, err := parseServe(nil, env(map[string]string{"ADMINCENTER_TEST_CONTROLS": "1"})); err != nil || !cfg.TestControls {
		t.Errorf("ADMINCENTER_TEST_CONTROLS: %v", err)
	}
	if _, err := parseServe(nil, env(map[string]string{"ADMINCENTER_ADDR": "0.0.0.0:80", "ADMINCENTER_TEST_CONTROLS": "true"})); err == nil {
		t.Error("ADMINCENTER_TEST_CONTROLS on every interface was accepted")
	}
}

func TestAPIRateFlags(t *testing.T) {
	t.Parallel()
	cfg, err := parseServe(nil, env(nil))
	if err != nil || cfg.APIRateLimit != 10000 || cfg.APIRateWindow != 10*time.Minute {
		t.Fatalf("defaults: %+v %v", cfg, err)
	}
	cfg, err = parseServe([]string{"--api-rate-limit", "0"}, env(nil))
	if err != nil || cfg.APIRateLimit != 0 {
		t.Fatalf("no limit: %v", err)
	}
	if _, err := parseServe([]string{"--api-rate-limit", "-1"}, env(nil)); err == nil {
		t.Error("a negative limit was accepted")
	}
	if _, err := parseServe([]string{"--api-rate-limit", "5", "--api-rate-window", "0s"}, env(nil)); err == nil {
		t.Error("a limit per no time was accepted")
	}
}
