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
	// A page allocates a few hundred kB and keeps none of it, so with Go's default (collect each
	// time the heap doubles) the collector took about a tenth of the CPU under load; collecting
	// at four times the live heap (tens of MB) cut the CPU per page by 10-25%. GOGC still decides when set.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(300)
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
