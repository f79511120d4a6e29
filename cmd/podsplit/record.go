package main

import (
	"errors"
	"fmt"
	"io"

	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/podsplit/podsplit/analyzer"
	"github.com/podsplit/podsplit/analyzer/evidence"
	"github.com/podsplit/podsplit/analyzer/record"
)

func init() { addCommand(newRecordCmd) }

const recordLong = `Record runs code to collect runtime evidence, and writes it to a runtime
directory that scan, graph and plan read with --runtime DIR. Unlike scan,
which only reads code, record executes it.

With --tests it runs the tests of the module around the current directory
(or --dir) with coverage counted over all of the module's packages, so
that the count of every call site says how often it ran. With --cpuprofile
it also writes a CPU profile of each package's tests, which gives the CPU
time spent below calls between packages.

After --, it runs a command with GOCOVERDIR set: a program built with
go build -cover -covermode=atomic, or a script that starts one and drives
load against it. Programs write their counters when they exit normally
(on Ctrl-C, record interrupts the command and waits for it).

The runtime directory holds coverage.out, cpu/*.pprof, covdata/ for a
command, and manifest.json, which lists what to read. Recording again into
the same directory replaces the previous recording; a directory holding
other files is refused.`

type recordFlags struct {
	tests bool
	cpu   bool
	out   string
	dir   string
}

func newRecordCmd() *cobra.Command {
	var f recordFlags
	cmd := &cobra.Command{
		Use:   "record --tests [patterns] | record -- COMMAND [ARGS]",
		Short: "Run the tests or a command and record runtime evidence for --runtime",
		Long:  recordLong,
		Example: `  podsplit record --tests
  podsplit record --tests --cpuprofile -o rt ./orders/... ./pricing/...
  go build -cover -covermode=atomic -o shop ./cmd/shop
  podsplit record -o rt -- ./load-test.sh ./shop
  podsplit scan --runtime podsplit-runtime .`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRecord(cmd, f, args)
		},
	}
	fs := cmd.Flags()
	fs.BoolVar(&f.tests, "tests", false, "run the module's tests")
	fs.BoolVar(&f.cpu, "cpuprofile", false, "with --tests, also record a CPU profile of each package's tests")
	fs.StringVarP(&f.out, "out", "o", record.DefaultDir, "runtime directory to write")
	fs.StringVarP(&f.dir, "dir", "C", ".", "module directory (--tests) or working directory of the command")
	return cmd
}

func runRecord(cmd *cobra.Command, f recordFlags, args []string) error {
	dash := cmd.ArgsLenAtDash()
	opts := record.Options{Dir: f.dir, Out: f.out, CPUProfile: f.cpu, Stderr: cmd.ErrOrStderr()}
	stderr := cmd.ErrOrStderr()
	var res *record.Result
	var err error
	switch {
	case f.tests && dash >= 0:
		return usageErr("record takes either --tests or a command after --, not both")
	case f.tests:
		if opts.Dir, err = moduleDir(f.dir); err != nil {
			return err
		}
		for _, a := range args {
			opts.Patterns = append(opts.Patterns, relPattern(opts.Dir, a))
		}
		fmt.Fprintf(stderr, "podsplit: record runs your code: go test in %s (scan never does)\n", opts.Dir)
		opts.Stdout = stderr
		res, err = record.Tests(cmd.Context(), opts)
	case dash >= 0 && len(args) > dash:
		if f.cpu {
			return usageErr("--cpuprofile works with --tests; a command writes its own profiles (pass them to --runtime)")
		}
		argv := args[dash:]
		fmt.Fprintf(stderr, "podsplit: record runs your code: %s (scan never does)\n", strings.Join(argv, " "))
		opts.Stdin, opts.Stdout = cmd.InOrStdin(), cmd.OutOrStdout()
		res, err = record.Command(cmd.Context(), argv, opts)
	default:
		return usageErr("record needs --tests, or a command after -- (podsplit record -- ./server)")
	}
	if errors.Is(err, record.ErrNotRuntimeDir) || errors.Is(err, record.ErrNoCounters) {
		return &exitError{code: exitInput, err: err}
	}
	if err != nil {
		return err
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(stderr, "podsplit: warning: %s\n", w)
	}
	scanDir := "."
	if f.tests {
		scanDir = f.dir
	}
	return printRecording(cmd.OutOrStdout(), f.out, scanDir, res)
}

// moduleDir finds the module around dir: tests are recorded per module.
func moduleDir(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := abs; ; d = filepath.Dir(d) {
		if exists(filepath.Join(d, "go.mod")) {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("%w in %s or any parent", analyzer.ErrNoModule, abs)
		}
	}
}

func printRecording(w io.Writer, out, scanDir string, res *record.Result) error {
	var files []string
	for _, in := range res.Manifest.Inputs {
		files = append(files, in.Path)
	}
	_, err := fmt.Fprintf(w, "wrote %s: %s and %s\nnext: podsplit scan --runtime %s %s\n",
		out, strings.Join(files, ", "), evidence.ManifestFile, shellQuote(out), shellQuote(scanDir))
	return err
}

// shellQuote quotes a path for the suggested command line when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
