package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/podsplit/podsplit/config"
	"github.com/podsplit/podsplit/gate"
)

func init() { addCommand(newInitCmd) }

func newInitCmd() *cobra.Command {
	var f analyzeFlags
	var force bool
	cmd := &cobra.Command{
		Use:   "init [dir]",
		Short: "Write podsplit.yaml and its baseline from the current plan",
		Long:  initLong,
		Example: `  podsplit init
  podsplit init --force ./fixtures/shop`,
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, _, err := target(args)
			if err != nil {
				return err
			}
			if !force {
				if err := refuseOverwrite(dir); err != nil {
					return err
				}
			}
			a, err := analyze(cmd.Context(), args, f, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			return runInit(a, cmd.OutOrStdout())
		},
	}
	f.register(cmd.Flags())
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing podsplit.yaml and baseline")
	return cmd
}

// runInit writes the starter configuration of the analysis's plan and a
// baseline accepting every violation it finds today, so that the gate
// passes now and fails on anything new.
func runInit(a *analysis, stdout io.Writer) error {
	path := filepath.Join(a.Root, config.FileName)
	p := gatePlan(a)
	var keep *config.Config
	if a.Config.Path != "" {
		keep = a.Config
	}
	data, err := gate.Starter(p, a.Graph, keep)
	if err != nil {
		return err
	}
	cfg, err := config.Parse(path, data)
	if err != nil {
		return err
	}
	basePath := gate.BaselinePath(cfg, "")
	res, err := gate.Check(gate.Input{Graph: a.Graph, Sites: a.Sites, Plan: p}, cfg)
	if err != nil {
		return err
	}
	if err := initWrite(path, data); err != nil {
		return err
	}
	if err := gate.NewBaseline(res.Violations).Save(basePath); err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "wrote %s: %d services, %d libraries, %d tier ceilings\nwrote %s: %d violations accepted\n",
		gateRel(a.Root, path), len(cfg.Services), len(cfg.Libraries), len(cfg.Tiers),
		gateRel(a.Root, basePath), len(res.Violations))
	return err
}

// refuseOverwrite fails when dir already holds a configuration or baseline,
// before any time is spent analysing.
func refuseOverwrite(dir string) error {
	for _, name := range []string{config.FileName, gate.BaselineFile} {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err == nil {
			return usageErr("%s already exists; use --force to overwrite it", p)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("writing %s: %w", p, err)
		}
	}
	return nil
}

// initWrite writes a file through a temporary file renamed into place.
func initWrite(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

const initLong = `Init analyses the repository, plans its split as podsplit plan does, and
writes two files at the repository root:

  podsplit.yaml            the plan's target as boundaries for podsplit gate: one
                           service per container, the libraries, a tier ceiling
                           for every pair of services that interact or share a
                           Pod, and the rules, with thresholds at today's values;
                           every key is explained by a comment
  podsplit.baseline.json   every violation of those boundaries found today

so that podsplit gate passes now and fails on anything new. The planning
sections of an existing podsplit.yaml (groups, together, apart, cost,
clustering, runtime, baseline) are kept. Init refuses to overwrite an existing
podsplit.yaml without --force.`
