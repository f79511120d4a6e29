package analyzer

import (
	"errors"
	"testing"
)

// TestFirstLine checks that the go command's failures read as one line.
func TestFirstLine(t *testing.T) {
	exit := errors.New("exit status 1")
	for _, tc := range []struct{ out, want string }{
		{"go: cannot load module a listed in go.work file\ngo: cannot load module b listed in go.work file\n", "go: cannot load module a listed in go.work file (and 1 more lines)"},
		{"pattern ./x: directory not found\n", "pattern ./x: directory not found"},
		{"  \n", "exit status 1"},
	} {
		if got := firstLine(tc.out, exit); got != tc.want {
			t.Errorf("firstLine(%q) = %q, want %q", tc.out, got, tc.want)
		}
	}
}
