package analyzer

import "testing"

func TestCommandName(t *testing.T) {
	for file, want := range map[string]string{
		"/r/cmd/thanos/query_frontend.go": "query-frontend",
		"/r/cmd/geth/chaincmd.go":         "chain",
		"/r/cmd/x/cmd_serve.go":           "serve",
		"/r/cmd/x/migrate_command.go":     "migrate",
		"/r/cmd/x/cmd.go":                 "cmd",
		"/r/cmd/x/store.go":               "store",
	} {
		if got := commandName(file); got != want {
			t.Errorf("commandName(%s) = %q, want %q", file, got, want)
		}
	}
}
