package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/podsplit/podsplit/manifest"
)

func init() {
	addCommand(newManifestsCmd)
	scanOutputs = append(scanOutputs, manifestOutputs)
}

// manifestFlags choose how the plan is deployed.
type manifestFlags struct {
	mesh, sidecars, registry, namespace, partOf string
	oam                                         bool
}

func (mf *manifestFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&mf.mesh, "mesh", manifest.MeshIstio, "service mesh that takes over governance: istio, linkerd or none")
	fs.StringVar(&mf.sidecars, "sidecars", manifest.SidecarsNative, "sidecar containers: native (init containers with restartPolicy Always) or classic")
	fs.BoolVar(&mf.oam, "oam", false, "also write a KubeVela/OAM Application per step")
	fs.StringVar(&mf.registry, "registry", "", "image name prefix (default registry.example.com/PART-OF)")
	fs.StringVar(&mf.namespace, "namespace", "", "namespace to set in every step's kustomization")
	fs.StringVar(&mf.partOf, "part-of", "", "app.kubernetes.io/part-of label (default: the module's last path element)")
}

func (mf *manifestFlags) options() manifest.Options {
	return manifest.Options{
		Mesh: mf.mesh, Sidecars: mf.sidecars, OAM: mf.oam,
		Registry: mf.registry, Namespace: mf.namespace, PartOf: mf.partOf,
	}
}

// check rejects bad values before the analysis runs.
func (mf *manifestFlags) check() error {
	if !slices.Contains([]string{manifest.MeshIstio, manifest.MeshLinkerd, manifest.MeshNone}, mf.mesh) {
		return usageErr("unknown mesh %q (want istio, linkerd or none)", mf.mesh)
	}
	if !slices.Contains([]string{manifest.SidecarsNative, manifest.SidecarsClassic}, mf.sidecars) {
		return usageErr("unknown sidecar style %q (want native or classic)", mf.sidecars)
	}
	return nil
}

func newManifestsCmd() *cobra.Command {
	var f analyzeFlags
	var pf planFlags
	var mf manifestFlags
	var outDir string
	var diff []string
	cmd := &cobra.Command{
		Use:   "manifests [dir|patterns]",
		Short: "Write Kubernetes manifests for every step of the split plan",
		Long:  manifestsLong,
		Example: `  podsplit manifests -o deploy ./fixtures/shop
  podsplit manifests --mesh linkerd --sidecars classic --registry ghcr.io/acme -o deploy .
  podsplit manifests --diff 1 3 ./fixtures/shop`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := mf.check(); err != nil {
				return err
			}
			diff, args = diffArgs(diff, args)
			if len(diff) != 0 && len(diff) != 2 {
				return usageErr("--diff takes two steps, e.g. --diff 1,3")
			}
			a, err := analyze(cmd.Context(), args, f, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			if err := pf.apply(cmd, a); err != nil {
				return err
			}
			files, err := buildManifests(a, mf.options())
			if err != nil {
				return err
			}
			if len(diff) == 2 {
				if err := printDiff(cmd.OutOrStdout(), files, diff[0], diff[1]); err != nil || !cmd.Flags().Changed("out") {
					return err
				}
			}
			return writeManifests(cmd.OutOrStdout(), outDir, files)
		},
	}
	f.register(cmd.Flags())
	pf.register(cmd.Flags())
	mf.register(cmd.Flags())
	cmd.Flags().StringVarP(&outDir, "out", "o", filepath.Join("podsplit-out", "manifests"), "output directory")
	cmd.Flags().StringSliceVar(&diff, "diff", nil, "print what changes between two steps, by number or directory (`A,B` or A B); writes files only with -o")
	return cmd
}

// stepName matches a step given by number or directory name.
var stepName = regexp.MustCompile(`^[0-9]+(-[a-z0-9-]+)?$`)

// diffArgs accepts `--diff A B` as well as `--diff A,B`: after a single
// --diff value, a first argument that names a step, and no directory,
// is the second step.
func diffArgs(diff, args []string) ([]string, []string) {
	if len(diff) == 1 && len(args) > 0 && stepName.MatchString(args[0]) && !exists(args[0]) {
		return append(diff, args[0]), args[1:]
	}
	return diff, args
}

// buildManifests builds the manifests of the analysis's plan.
func buildManifests(a *analysis, opts manifest.Options) (manifest.Files, error) {
	p := a.plan()
	a.mu.Lock()
	defer a.mu.Unlock()
	if files, ok := a.manifests[opts]; ok {
		return files, nil
	}
	files, err := manifest.Build(p, opts)
	if errors.Is(err, manifest.ErrBadOption) {
		return nil, &exitError{code: exitUsage, err: err}
	}
	if err != nil {
		return nil, err
	}
	if a.manifests == nil {
		a.manifests = map[manifest.Options]manifest.Files{}
	}
	a.manifests[opts] = files
	return files, nil
}

func printDiff(w io.Writer, files manifest.Files, a, b string) error {
	d, err := manifest.Diff(files, a, b)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	if d == "" {
		d = "no changes\n"
	}
	_, err = io.WriteString(w, d)
	return err
}

// writeManifests writes the files under dir, all or none, and says what
// it wrote.
func writeManifests(w io.Writer, dir string, files manifest.Files) error {
	out := &outputs{files: map[string][]byte{}, owned: manifest.Owned}
	for name, data := range files {
		if !filepath.IsLocal(filepath.FromSlash(name)) {
			return fmt.Errorf("writing manifests: %s is outside the output directory", name)
		}
		out.add(name, data)
	}
	if err := writeOutputs(dir, out); err != nil {
		return err
	}
	steps := stepNames(files)
	_, err := fmt.Fprintf(w, "wrote %s/: %d steps (%s), README.md\n", filepath.ToSlash(dir), len(steps), strings.Join(steps, ", "))
	return err
}

func stepNames(files manifest.Files) []string {
	var steps []string
	for name := range files {
		if rest, ok := strings.CutPrefix(name, "steps/"); ok {
			if d, _, ok := strings.Cut(rest, "/"); ok && !slices.Contains(steps, d) {
				steps = append(steps, d)
			}
		}
	}
	slices.Sort(steps)
	return steps
}

// manifestOutputs adds the manifests, with default options, to scan's
// outputs under manifests/.
func manifestOutputs(_ context.Context, a *analysis, out *outputs) error {
	files, err := buildManifests(a, manifest.Options{})
	if err != nil {
		return err
	}
	for name, data := range files {
		out.add("manifests/"+name, data)
	}
	for _, d := range manifest.Owned {
		out.owned = append(out.owned, "manifests/"+d)
	}
	return nil
}

const manifestsLong = `Manifests analyses a repository, plans its split, and writes the Kubernetes
manifests that deploy every step of the plan:

  steps/NN-slug/     one kustomization per step: a Deployment, ServiceAccount
                     and (when it listens) Service per unit, mesh policy
                     objects, and a README of what the step changes
  docker/NAME/       a multi-stage, non-root Dockerfile per Go container
  README.md          the steps, the images, and how to deploy them

Each step directory is the whole desired state after that step: apply the
steps one after another through GitOps, with pruning, and roll back by
applying the previous one. A unit's sidecars are native sidecars (init
containers that restart always) unless --sidecars classic; containers of one
Pod share an emptyDir for Unix sockets, and each gets a NAME_ADDR variable
per peer it talks to. Governance found in the code (retries, timeouts,
circuit breaking, connection limits) moves to Istio VirtualService and
DestinationRule objects, or Linkerd annotations, from the plan's mesh step
on. --diff A,B prints what changes between two steps instead of writing.
See docs/deploy.md.`
