package main

import (
	"encoding/json"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Started without naming the controller, Haven warns; named (and with --base-url), consent
// receipts carry the controller's name, address and email and the policy's whole address.
func TestStartUpNamesTheController(t *testing.T) {
	t.Parallel()
	_, out := startProgram(t, []string{"--data", t.TempDir()}, env())
	for i := 0; i < 40 && !strings.Contains(out.String(), "--jurisdiction"); i++ {
		time.Sleep(50 * time.Millisecond) // printed just after the line startProgram waits for
	}
	if !strings.Contains(out.String(), "Warning:") || !strings.Contains(out.String(), "--privacy-contact") ||
		!strings.Contains(out.String(), "--jurisdiction") {
		t.Errorf("started with no controller named, and no warning naming the settings:\n%s", out)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, out = startProgram(t, []string{"--data", t.TempDir(), "--addr", addr, "--base-url", "http://haven.example", "--controller", "Haven Care CIC",
		"--controller-address", "1 Harbour Row, Leith", "--privacy-contact", "privacy@haven.example", "--jurisdiction", "GB"}, env())
	time.Sleep(200 * time.Millisecond)
	if strings.Contains(out.String(), "Warning:") {
		t.Errorf("warned although every controller setting is given:\n%s", out)
	}
	c := newFormClient("http://" + addr) // served here, known to the world as haven.example
	signUp(t, c, "receipt_keeper")
	send(t, c, "/privacy/consent", "purpose", "reading_history", "enabled", "true")
	_, dash := c.get(t, "/privacy")
	link := regexp.MustCompile(`/privacy/receipts/[0-9a-f-]+`).FindString(dash)
	status, body := c.get(t, link)
	if link == "" || status != http.StatusOK {
		t.Fatalf("receipt %q: %d", link, status)
	}
	var r struct {
		PolicyURL   string           `json:"policyUrl"`
		Controllers []map[string]any `json:"piiControllers"`
	}
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatal(err)
	}
	if r.PolicyURL != "http://haven.example/privacy/policy" {
		t.Errorf("policyUrl %q, want the whole address", r.PolicyURL)
	}
	want := map[string]any{"piiController": "Haven Care CIC", "address": "1 Harbour Row, Leith", "email": "privacy@haven.example",
		"contact": "privacy@haven.example"}
	for k, v := range want {
		if len(r.Controllers) == 0 || r.Controllers[0][k] != v {
			t.Errorf("piiControllers[0].%s = %v, want %q", k, r.Controllers, v)
		}
	}
	if _, policy := c.get(t, "/privacy/policy"); !strings.Contains(policy, "1 Harbour Row, Leith") || !strings.Contains(policy, "Haven Care CIC") {
		t.Error("the policy does not name the controller and their address")
	}
}
