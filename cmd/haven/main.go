// Command haven runs the Haven peer-support forum.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

func main() {
	// A page allocates a few hundred kB and keeps none of it. With Go's default (collect each
	// time the heap doubles) the collector took about a tenth of the CPU under load; at 300 the
	// CPU per page fell 10-25% but the longer collections pushed p99 past 50 ms on group pages;
	// 150 keeps most of the gain with p99 under 45 ms (scripts/load/pages.sh). GOGC decides when set.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(150)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "haven: "+err.Error())
		os.Exit(1)
	}
}
