package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the test binary run as the podsplit command inside scripts,
// so the command is built once and every scenario runs it end to end.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"podsplit": func() { os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the end-to-end scenarios in testdata/script: each is a
// txtar archive of files and commands (see testdata/README.md).
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: filepath.Join("testdata", "script"),
		Setup: func(env *testscript.Env) error {
			// The analysed modules are loaded by the go command, which needs
			// the real caches to find the standard library's export data.
			for _, k := range []string{"GOCACHE", "GOMODCACHE", "GOPATH", "HOME", "GOFLAGS", "GOPROXY"} {
				if v, ok := os.LookupEnv(k); ok {
					env.Setenv(k, v)
				}
			}
			if _, ok := os.LookupEnv("GOCACHE"); !ok {
				if dir, err := os.UserCacheDir(); err == nil {
					env.Setenv("GOCACHE", filepath.Join(dir, "go-build"))
				}
			}
			return nil
		},
		RequireUniqueNames: true,
	})
}
