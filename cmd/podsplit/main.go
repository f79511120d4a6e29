// Command podsplit tells a team how to break up a Go monolith, and proves it.
// See doc.go for the commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/podsplit/podsplit/analyzer"
)

// Exit codes.
const (
	exitOK         = 0
	exitViolations = 1 // gate found new violations
	exitUsage      = 2 // bad flags, arguments or configuration
	exitAnalysis   = 3 // the analysis itself failed
	exitInput      = 4 // bad input: missing directory, no module, nothing matched
)

// exitError carries an exit code through cobra.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func usageErr(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

var commands []func() *cobra.Command

// addCommand registers a subcommand constructor; each command file calls it
// from init.
func addCommand(f func() *cobra.Command) { commands = append(commands, f) }

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:           "podsplit",
		Short:         "Tell a team how to break up a Go monolith, and prove it",
		Long:          rootLong,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &exitError{code: exitUsage, err: err} })
	var cmds []*cobra.Command
	for _, f := range commands {
		cmds = append(cmds, f())
	}
	slices.SortFunc(cmds, func(a, b *cobra.Command) int { return compareStrings(a.Name(), b.Name()) })
	root.AddCommand(cmds...)
	return root
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes the command line and returns the exit code; errors are
// printed as one line on stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRootCmd(stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(stderr, "podsplit: %v\n", err)
	return exitCode(err)
}

func exitCode(err error) int {
	var ee *exitError
	switch {
	case errors.As(err, &ee):
		return ee.code
	case errors.Is(err, analyzer.ErrBadOption):
		return exitUsage
	case errors.Is(err, analyzer.ErrNoDir), errors.Is(err, analyzer.ErrNoModule), errors.Is(err, analyzer.ErrNoMatch):
		return exitInput
	case isCobraUsage(err):
		return exitUsage
	}
	return exitAnalysis
}

// isCobraUsage recognises cobra's own errors about the command line.
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, prefix := range []string{"unknown command", "unknown flag", "unknown shorthand", "accepts ", "requires ", "invalid argument"} {
		if strings.HasPrefix(msg, prefix) {
			return true
		}
	}
	return false
}
