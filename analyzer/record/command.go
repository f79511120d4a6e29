package record

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/podsplit/podsplit/analyzer/evidence"
)

// stopGrace is how long a command may take to write its counters and exit
// after it was asked to stop.
const stopGrace = 10 * time.Second

// Command runs argv with GOCOVERDIR set, so that every program built with
// go build -cover among it and its children writes its coverage counters,
// then converts the counters to a text profile and writes a runtime
// directory. When ctx is cancelled the command is interrupted, not killed,
// so that it can exit normally and write its counters.
func Command(ctx context.Context, argv []string, opts Options) (*Result, error) {
	if len(argv) == 0 {
		return nil, fmt.Errorf("recording a command: no command given")
	}
	out, err := prepare(opts.Out)
	if err != nil {
		return nil, err
	}
	covdata := filepath.Join(out, covDataDir)
	if err := os.MkdirAll(covdata, 0o755); err != nil {
		return nil, fmt.Errorf("recording a command: %w", err)
	}
	res := &Result{Dir: out, Manifest: &evidence.Manifest{Mode: "command", Command: argv}}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = opts.Dir
	cmd.Env = append(slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "GOCOVERDIR=")
	}), "GOCOVERDIR="+covdata)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = opts.Stdin, opts.Stdout, opts.Stderr
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = stopGrace
	if err := cmd.Run(); err != nil {
		if cmd.ProcessState == nil {
			return nil, fmt.Errorf("running %s: %w", argv[0], err)
		}
		res.Warnings = append(res.Warnings, fmt.Sprintf("%s exited with an error (%v)", argv[0], err))
	}
	if !hasCounters(covdata) {
		return nil, fmt.Errorf("recording %s: %w; build the program with go build -cover -covermode=atomic and let it exit normally (counters are written at exit)", argv[0], ErrNoCounters)
	}
	if err := evidence.ConvertCovData(context.WithoutCancel(ctx), covdata, filepath.Join(out, coverageFile)); err != nil {
		return nil, err
	}
	if setMode(filepath.Join(out, coverageFile)) {
		res.Warnings = append(res.Warnings, "the program was built with -covermode=set (the default of go build -cover): "+
			"counts are 0 or 1, not how often code ran; build it with go build -cover -covermode=atomic")
	}
	res.Manifest.Inputs = []evidence.Input{{Path: coverageFile, Kind: evidence.KindCoverProfile}}
	res.Manifest.Raw = []string{covDataDir}
	return res, writeManifest(out, res.Manifest)
}

// hasCounters reports whether a GOCOVERDIR holds counter data: programs
// write the meta-data file at start and the counters at exit.
func hasCounters(dir string) bool {
	entries, _ := os.ReadDir(dir)
	return slices.ContainsFunc(entries, func(e os.DirEntry) bool {
		return strings.HasPrefix(e.Name(), "covcounters.")
	})
}

// setMode reports a text profile counted in set mode.
func setMode(profile string) bool {
	f, err := os.Open(profile)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, len("mode: set\n"))
	n, _ := f.Read(head)
	return string(head[:n]) == "mode: set\n"
}
