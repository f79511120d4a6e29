package manifest

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"sigs.k8s.io/yaml"

	"github.com/podsplit/podsplit/plan"
)

// loadPlan reads the plan of a test case; every call returns a fresh copy.
func loadPlan(t *testing.T, file string) *plan.Plan {
	t.Helper()
	ar, err := txtar.ParseFile("testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := caseInput(t, ar)
	return p
}

func build(t *testing.T, p *plan.Plan, opts Options) Files {
	t.Helper()
	files, err := Build(p, opts)
	if err != nil {
		t.Fatal(err)
	}
	check(t, files)
	return files
}

func deploymentOf(t *testing.T, files Files, path string) *appsv1.Deployment {
	t.Helper()
	var d appsv1.Deployment
	if err := yaml.UnmarshalStrict(files[path], &d); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return &d
}

// TestDeterministic builds the same plans with their lists shuffled and
// wants byte-identical files.
func TestDeterministic(t *testing.T) {
	for _, file := range []string{"split.txtar", "mixed.txtar", "python.txtar", "node.txtar"} {
		t.Run(strings.TrimSuffix(file, ".txtar"), func(t *testing.T) { deterministic(t, file) })
	}
}

func deterministic(t *testing.T, file string) {
	want := build(t, loadPlan(t, file), Options{OAM: true})
	r := rand.New(rand.NewPCG(1, 2))
	for range 5 {
		p := loadPlan(t, file)
		r.Shuffle(len(p.Edges), func(i, j int) { p.Edges[i], p.Edges[j] = p.Edges[j], p.Edges[i] })
		r.Shuffle(len(p.Components), func(i, j int) { p.Components[i], p.Components[j] = p.Components[j], p.Components[i] })
		for _, st := range p.Steps {
			top := st.Topology
			r.Shuffle(len(top), func(i, j int) { top[i], top[j] = top[j], top[i] })
			for _, s := range top {
				c := s.Containers
				r.Shuffle(len(c), func(i, j int) { c[i], c[j] = c[j], c[i] })
				for k := range c {
					ids := c[k].Components
					r.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
				}
			}
		}
		got, err := Build(p, Options{OAM: true})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(sortedKeys(got), sortedKeys(want)) {
			t.Fatalf("files differ: %v vs %v", sortedKeys(got), sortedKeys(want))
		}
		for name := range want {
			if !bytes.Equal(got[name], want[name]) {
				t.Errorf("%s differs after shuffling:\n%s", name, lineDiff(want[name], got[name]))
			}
		}
	}
}

// TestSidecarStyles checks that native sidecars are init containers that
// restart always and start before the main container, and classic ones
// plain containers after it; in both, the two share the socket volume.
func TestSidecarStyles(t *testing.T) {
	const path = "steps/02-sidecar-notifyd/deployment-shop.yaml"
	native := deploymentOf(t, build(t, loadPlan(t, "split.txtar"), Options{}), path).Spec.Template.Spec
	if len(native.Containers) != 1 || len(native.InitContainers) != 1 {
		t.Fatalf("native: %d containers, %d init containers; want 1 and 1", len(native.Containers), len(native.InitContainers))
	}
	side := native.InitContainers[0]
	if side.Name != "notifyd" || side.RestartPolicy == nil || *side.RestartPolicy != corev1.ContainerRestartPolicyAlways {
		t.Errorf("native sidecar %s: restartPolicy %v, want Always", side.Name, side.RestartPolicy)
	}
	classic := deploymentOf(t, build(t, loadPlan(t, "split.txtar"), Options{Sidecars: SidecarsClassic}), path).Spec.Template.Spec
	if len(classic.Containers) != 2 || len(classic.InitContainers) != 0 || classic.Containers[0].Name != "shop" {
		t.Fatalf("classic: containers %v, %d init containers", names(classic.Containers), len(classic.InitContainers))
	}
	if classic.Containers[1].RestartPolicy != nil {
		t.Errorf("classic sidecar has a restartPolicy")
	}
	for _, spec := range []corev1.PodSpec{native, classic} {
		all := append(slices.Clone(spec.Containers), spec.InitContainers...)
		for _, c := range all {
			if !slices.ContainsFunc(c.VolumeMounts, func(m corev1.VolumeMount) bool {
				return m.MountPath == "/var/run/shop" && m.Name == "ipc-var-run-shop"
			}) {
				t.Errorf("%s does not mount the socket directory", c.Name)
			}
		}
	}
}

func names(cs []corev1.Container) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return out
}

// TestPeers checks the address variables: the socket's client gets the
// server's address, the server none, and callers of an extracted service
// its Service address.
func TestPeers(t *testing.T) {
	files := build(t, loadPlan(t, "split.txtar"), Options{})
	spec := deploymentOf(t, files, "steps/03-extract-payments/deployment-shop.yaml").Spec.Template.Spec
	env := map[string]string{}
	for _, e := range spec.Containers[0].Env {
		env[e.Name] = e.Value
	}
	want := map[string]string{"NOTIFYD_ADDR": "unix:/var/run/shop/notify.sock", "PAYMENTS_ADDR": "tcp:payments:9090"}
	if !maps.Equal(env, want) {
		t.Errorf("shop env %v, want %v", env, want)
	}
	if e := spec.InitContainers[0].Env; len(e) != 0 {
		t.Errorf("notifyd, which serves the socket, got env %v", e)
	}
}

// TestMeshChoices checks where governance goes with each mesh.
func TestMeshChoices(t *testing.T) {
	for _, tc := range []struct {
		mesh              string
		policies, annotes bool
	}{
		{MeshIstio, true, false},
		{MeshLinkerd, false, true},
		{MeshNone, false, false},
	} {
		files := build(t, loadPlan(t, "split.txtar"), Options{Mesh: tc.mesh})
		_, vs := files["steps/01-mesh/virtualservice-shop.yaml"]
		_, early := files["steps/00-monolith/virtualservice-shop.yaml"]
		svc := string(files["steps/01-mesh/service-shop.yaml"])
		if vs != tc.policies || early {
			t.Errorf("%s: VirtualService at the mesh step %v (want %v), before it %v", tc.mesh, vs, tc.policies, early)
		}
		if got := strings.Contains(svc, "retry.linkerd.io/limit: \"2\""); got != tc.annotes {
			t.Errorf("%s: linkerd retry annotation %v, want %v", tc.mesh, got, tc.annotes)
		}
		dep := string(files["steps/01-mesh/deployment-shop.yaml"])
		injected := strings.Contains(dep, istioInject) || strings.Contains(dep, linkerdInject)
		if injected != (tc.mesh != MeshNone) {
			t.Errorf("%s: injection %v", tc.mesh, injected)
		}
		readme := string(files["steps/01-mesh/README.md"])
		kept := strings.Contains(readme, "- shop: auth, breaker, retry, timeout")
		if kept != (tc.mesh == MeshNone) {
			t.Errorf("%s: README keeps all governance in code: %v\n%s", tc.mesh, kept, readme)
		}
	}
}

// TestResources checks that CPU requests follow the profile's shares and
// fall back to defaults without one.
func TestResources(t *testing.T) {
	cpu := func(files Files, path string) map[string]int64 {
		spec := deploymentOf(t, files, path).Spec.Template.Spec
		out := map[string]int64{}
		for _, c := range append(spec.Containers, spec.InitContainers...) {
			out[c.Name] = c.Resources.Requests.Cpu().MilliValue()
		}
		return out
	}
	p := loadPlan(t, "split.txtar")
	files := build(t, p, Options{})
	// Own CPU: orders 600ms, payments 250ms, notifications 100ms, money 50ms
	// (a library, linked in and not deployed): 1000ms in all.
	if got, want := cpu(files, "steps/02-sidecar-notifyd/deployment-shop.yaml"), map[string]int64{"shop": 850, "notifyd": 100}; !maps.Equal(got, want) {
		t.Errorf("step 2 CPU %v, want %v", got, want)
	}
	for _, e := range p.Edges {
		e.CPUNs = 0
	}
	files = build(t, p, Options{})
	if got, want := cpu(files, "steps/02-sidecar-notifyd/deployment-shop.yaml"), map[string]int64{"shop": defaultCPU, "notifyd": sidecarCPU}; !maps.Equal(got, want) {
		t.Errorf("without a profile, CPU %v, want %v", got, want)
	}
}

// TestImageTags checks that a container keeps its image tag until a step
// changes its components or cuts a call in them.
func TestImageTags(t *testing.T) {
	files := build(t, loadPlan(t, "split.txtar"), Options{})
	image := func(path, container string) string {
		spec := deploymentOf(t, files, path).Spec.Template.Spec
		for _, c := range append(spec.Containers, spec.InitContainers...) {
			if c.Name == container {
				return c.Image
			}
		}
		return ""
	}
	for _, tc := range []struct{ path, container, want string }{
		{"steps/01-mesh/deployment-shop.yaml", "shop", "registry.example.com/shop/shop:step-00"},
		{"steps/02-sidecar-notifyd/deployment-shop.yaml", "shop", "registry.example.com/shop/shop:step-02"},
		{"steps/03-extract-payments/deployment-shop.yaml", "notifyd", "registry.example.com/shop/notifyd:step-02"},
		{"steps/03-extract-payments/deployment-shop.yaml", "shop", "registry.example.com/shop/shop:step-03"},
	} {
		if got := image(tc.path, tc.container); got != tc.want {
			t.Errorf("%s %s: image %s, want %s", tc.path, tc.container, got, tc.want)
		}
	}
}

func TestDNSLabel(t *testing.T) {
	long := strings.Repeat("Very_Long.Component/Name-", 5)
	for _, s := range []string{"Orders", "cmd/notifyd", "9lives", "--", "", "ünïcode", long, long + "x"} {
		got := dnsLabel(s, maxLabel)
		if errs := validation.IsDNS1123Label(got); len(errs) > 0 {
			t.Errorf("dnsLabel(%q) = %q: %v", s, got, errs)
		}
		if again := dnsLabel(s, maxLabel); again != got {
			t.Errorf("dnsLabel(%q) unstable: %q, %q", s, got, again)
		}
	}
	if dnsLabel(long, maxLabel) == dnsLabel(long+"x", maxLabel) {
		t.Error("two long names shortened to the same label")
	}
	if got := envName("cmd/notify-d"); got != "CMD_NOTIFY_D_ADDR" {
		t.Errorf("envName = %q", got)
	}
}

func TestBuildErrors(t *testing.T) {
	dup := loadPlan(t, "split.txtar")
	dup.Steps[0].Topology = append(dup.Steps[0].Topology, dup.Steps[0].Topology[0])
	dup.Steps[0].Topology[1].Name = "SHOP"
	badSetting := loadPlan(t, "split.txtar")
	badSetting.Steps[1].Topology[0].GovernanceSettings = map[string]string{"retry.attempts": "many"}
	noSteps := loadPlan(t, "split.txtar")
	noSteps.Steps = nil
	for _, tc := range []struct {
		p    *plan.Plan
		opts Options
		want string
	}{
		{loadPlan(t, "split.txtar"), Options{Mesh: "consul"}, `unknown mesh "consul"`},
		{loadPlan(t, "split.txtar"), Options{Sidecars: "sometimes"}, `unknown sidecar style`},
		{loadPlan(t, "split.txtar"), Options{Namespace: "Shop_NS"}, `not a DNS-1123 label`},
		{dup, Options{}, `both deploy as "shop"`},
		{badSetting, Options{}, `retry.attempts="many"`},
		{noSteps, Options{}, `no steps`},
	} {
		_, err := Build(tc.p, tc.opts)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Build: error %v, want %q", err, tc.want)
		}
	}
}

func TestDiff(t *testing.T) {
	files := build(t, loadPlan(t, "split.txtar"), Options{})
	d, err := Diff(files, "1", "03-extract-payments")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"--- /dev/null\n+++ b/03-extract-payments/deployment-payments.yaml\n",
		"-      - image: registry.example.com/shop/shop:step-00\n",
		"+        - name: PAYMENTS_ADDR\n",
	} {
		if !strings.Contains(d, want) {
			t.Errorf("diff lacks %q:\n%s", want, d)
		}
	}
	if strings.Contains(d, "README") {
		t.Error("diff shows READMEs")
	}
	if same, _ := Diff(files, "2", "2"); same != "" {
		t.Errorf("diff of a step with itself: %q", same)
	}
	if _, err := Diff(files, "7", "1"); err == nil || !strings.Contains(err.Error(), "no step \"7\"") {
		t.Errorf("unknown step: error %v", err)
	}
}

// TestPlanJSON makes sure the plan contract carries the governance
// settings this package reads.
func TestPlanJSON(t *testing.T) {
	data, err := json.Marshal(loadPlan(t, "split.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(`"governance_settings":{"retry.attempts":"2","timeout.request":"1500ms"}`)) {
		t.Errorf("governance settings lost in JSON")
	}
}

// TestShopGolden validates the golden manifests of fixtures/shop, which
// cmd/podsplit's TestManifestsShop makes with the whole pipeline.
func TestShopGolden(t *testing.T) {
	files := Files{}
	err := filepath.WalkDir("testdata/shop", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		files[filepath.ToSlash(strings.TrimPrefix(path, "testdata/shop/"))] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(stepDirsOf(files)) < 2 {
		t.Fatalf("golden tree has steps %v, want several", stepDirsOf(files))
	}
	check(t, files)
	if !bytes.Contains(files["README.md"], []byte("## Deploying the plan")) {
		t.Error("README.md lacks the deployment guide")
	}
}

func TestLinks(t *testing.T) {
	for _, tc := range []struct {
		in, str, dir, newTo string
		port                int
	}{
		{"unix:/var/run/shop/notify.sock", "unix:/var/run/shop/notify.sock", "/var/run/shop", "", 0},
		{"unix:/run/x/../y/s.sock", "unix:/run/x/../y/s.sock", "/run/y", "", 0},
		{"unix:/s.sock", "unix:/s.sock", "", "", 0},
		{"unix:rel/s.sock", "unix:rel/s.sock", "", "", 0},
		{"unix:@abstract", "unix:@abstract", "", "", 0},
		{"file:/var/lib/shop/export.csv", "file:/var/lib/shop/export.csv", "/var/lib/shop", "", 0},
		{"tcp:127.0.0.1:9000", "tcp:127.0.0.1:9000", "", "", 9000},
		{"tcp::9000", "tcp:127.0.0.1:9000", "", "", 9000},
		{"tcp:9000", "tcp:127.0.0.1:9000", "", "", 9000},
		{"tcp:db:5432", "tcp:db:5432", "", "", 0},
		{"tcp:127.0.0.1 (new, to notifications)", "tcp:", "", "notifications", 0},
	} {
		l := parseLink(tc.in)
		if l.String() != tc.str || l.dir() != tc.dir || l.newTo != tc.newTo || l.loopbackPort() != tc.port {
			t.Errorf("parseLink(%q) = %q dir %q new %q port %d; want %q %q %q %d",
				tc.in, l.String(), l.dir(), l.newTo, l.loopbackPort(), tc.str, tc.dir, tc.newTo, tc.port)
		}
	}
}

// TestNewLoopbackLink checks a link the split must create: the caller gets
// the address, the callee the address to listen on, the same port in
// every step.
func TestNewLoopbackLink(t *testing.T) {
	p := loadPlan(t, "split.txtar")
	for _, i := range []int{2, 3} {
		cs := p.Steps[i].Topology[0].Containers
		cs[0].Links = []string{"tcp:127.0.0.1 (new, to notifications)"}
		cs[1].Links = []string{"tcp:127.0.0.1 (new, to orders)"}
	}
	files := build(t, p, Options{})
	var addrs []string
	for _, path := range []string{"steps/02-sidecar-notifyd/deployment-shop.yaml", "steps/03-extract-payments/deployment-shop.yaml"} {
		spec := deploymentOf(t, files, path).Spec.Template.Spec
		shop, notifyd := envMap(spec.Containers[0].Env), envMap(spec.InitContainers[0].Env)
		if shop["NOTIFYD_ADDR"] == "" || shop["NOTIFYD_ADDR"] != notifyd[podListenVar] {
			t.Errorf("%s: shop has NOTIFYD_ADDR %q, notifyd listens on %q", path, shop["NOTIFYD_ADDR"], notifyd[podListenVar])
		}
		if _, ok := notifyd["SHOP_ADDR"]; ok {
			t.Errorf("%s: notifyd, which only serves, got SHOP_ADDR", path)
		}
		if len(spec.Volumes) != 1 {
			t.Errorf("%s: volumes %v, want only /tmp", path, spec.Volumes)
		}
		addrs = append(addrs, shop["NOTIFYD_ADDR"])
	}
	if addrs[0] != addrs[1] {
		t.Errorf("the new link moved from %s to %s between steps", addrs[0], addrs[1])
	}
}

func envMap(env []corev1.EnvVar) map[string]string {
	m := map[string]string{}
	for _, e := range env {
		m[e.Name] = e.Value
	}
	return m
}

// TestSocketInTmp checks that a socket in /tmp is shared through /tmp
// itself, not mounted twice at one path.
func TestSocketInTmp(t *testing.T) {
	p := loadPlan(t, "split.txtar")
	for i := range p.Steps[2].Topology[0].Containers {
		p.Steps[2].Topology[0].Containers[i].Links = []string{"unix:/tmp/notify.sock"}
	}
	files := build(t, p, Options{})
	spec := deploymentOf(t, files, "steps/02-sidecar-notifyd/deployment-shop.yaml").Spec.Template.Spec
	for _, c := range append(spec.Containers, spec.InitContainers...) {
		var paths []string
		for _, m := range c.VolumeMounts {
			paths = append(paths, m.MountPath)
		}
		if !slices.Equal(paths, []string{"/tmp"}) || c.VolumeMounts[0].Name != "ipc-tmp" {
			t.Errorf("%s mounts %v", c.Name, c.VolumeMounts)
		}
	}
}

// TestCreatedPort checks that an extracted unit that listens nowhere yet,
// but is called from another unit, gets a port, a Service, LISTEN_ADDR,
// and its callers its address.
func TestCreatedPort(t *testing.T) {
	p := loadPlan(t, "split.txtar")
	for _, c := range p.Components {
		if c.ID == "example.com/shop/payments" {
			c.Listens, c.Health = nil, ""
		}
	}
	pay := &p.Steps[3].Topology[1]
	pay.Ports, pay.Health = nil, ""
	files := build(t, p, Options{})
	const dir = "steps/03-extract-payments/"
	payments := envMap(deploymentOf(t, files, dir+"deployment-payments.yaml").Spec.Template.Spec.Containers[0].Env)
	shop := envMap(deploymentOf(t, files, dir+"deployment-shop.yaml").Spec.Template.Spec.Containers[0].Env)
	if payments[netListenVar] != "tcp::8080" || shop["PAYMENTS_ADDR"] != "tcp:payments:8080" {
		t.Errorf("payments listens on %q, shop calls %q", payments[netListenVar], shop["PAYMENTS_ADDR"])
	}
	if !bytes.Contains(files[dir+"service-payments.yaml"], []byte("name: port-8080")) {
		t.Errorf("service-payments.yaml:\n%s", files[dir+"service-payments.yaml"])
	}
	if !bytes.Contains(files[dir+"README.md"], []byte("payments is called from other units but listens on no port yet")) {
		t.Errorf("README.md does not say payments must listen")
	}
	if _, ok := envMap(deploymentOf(t, files, dir+"deployment-shop.yaml").Spec.Template.Spec.Containers[0].Env)[netListenVar]; ok {
		t.Error("shop, which listens already, got LISTEN_ADDR")
	}
}

// TestCommandContainer checks that a container running one command of a
// multi-command program builds the program's main package and runs the
// command: as its first argument for a subcommand, by the program's own
// configuration for a registered target.
func TestCommandContainer(t *testing.T) {
	for _, tc := range []struct {
		commandOf string
		args      []string
		note      string
	}{
		{"example.com/shop/cmd/shop", []string{"payments"}, `# Runs its command "payments": the Deployment passes it as the first argument.`},
		{"example.com/shop/app", nil, `# Runs the target "payments" that example.com/shop/app registers`},
	} {
		p := loadPlan(t, "split.txtar")
		found := false
		for _, st := range p.Steps {
			for i := range st.Topology {
				for j := range st.Topology[i].Containers {
					if c := &st.Topology[i].Containers[j]; c.Name == "payments" {
						c.Main, c.Command, c.CommandOf = "example.com/shop/cmd/shop", "payments", tc.commandOf
						found = true
					}
				}
			}
		}
		if !found {
			t.Fatal("no payments container in split.txtar")
		}
		files := build(t, p, Options{})
		spec := deploymentOf(t, files, "steps/03-extract-payments/deployment-payments.yaml").Spec.Template.Spec
		if got := spec.Containers[0].Args; !slices.Equal(got, tc.args) {
			t.Errorf("%s: args %q, want %q", tc.commandOf, got, tc.args)
		}
		df := string(files["docker/payments/Dockerfile"])
		if !strings.Contains(df, tc.note) || !strings.Contains(df, "-o /out/app ./cmd/shop") {
			t.Errorf("%s: Dockerfile\n%s", tc.commandOf, df)
		}
	}
}
