// Command haocha-bench measures Haocha: it is kept apart from the server's
// binary, which ships without it.
//
// Usage:
//
//	haocha-bench loadgen     drive a local server's review intake or reads
//	haocha-bench benchraw    measure the database's own insert ceiling
//	haocha-bench history     give a benchmark database a city's past, as rollups
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "haocha-bench:", err)
		}
		os.Exit(1)
	}
}

type command struct {
	name, usage string
	run         func(ctx context.Context, fs *flag.FlagSet, args []string, out io.Writer) error
}

var commands = []command{
	{"loadgen", "drive POST /api/v1/reviews (or --get a path) on a loopback server; print throughput and latency", runLoadgen},
	{"benchraw", "plain autocommit review INSERTs straight into --db: the database's ceiling", runBenchRaw},
	{"history", "day rollups of a city as busy as --rate into a benchmark --db, for the detectors' usual rates", runHistory},
}

func run(ctx context.Context, args []string, out, errOut io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(errOut)
		if len(args) == 0 {
			return errors.New("name a command")
		}
		return nil
	}
	name, args := args[0], args[1:]
	for _, c := range commands {
		if c.name == name {
			fs := flag.NewFlagSet("haocha-bench "+name, flag.ContinueOnError)
			fs.SetOutput(errOut)
			return c.run(ctx, fs, args, out)
		}
	}
	usage(errOut)
	return fmt.Errorf("unknown command %q", name)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: haocha-bench command [flags]")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.usage)
	}
	fmt.Fprintln(w, "Run 'haocha-bench COMMAND -h' for a command's flags.")
}
