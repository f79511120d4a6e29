// Package config reads podsplit.yaml, the one configuration file of a
// repository. It holds two kinds of settings: how to plan (component
// grouping, pins, the cost model, clustering) and what the CI gate enforces
// (declared target services, shared libraries, tier ceilings between
// services, and rules).
//
// Loading is strict: an unknown key or a bad value is an error naming the
// file, the line and the key.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// FileName is the configuration file looked for at the repository root.
const FileName = "podsplit.yaml"

// ErrConfig marks every configuration error.
var ErrConfig = errors.New("config")

// Config is the content of podsplit.yaml. Every section is optional.
type Config struct {
	Version int `yaml:"version"`
	// Groups merge packages into one component: id → package patterns
	// ("example.com/shop/catalog/..." or "./catalog/...").
	Groups map[string][]string `yaml:"groups"`
	// Together lists sets of components that must share a service; Apart
	// lists pairs that must not.
	Together [][]string `yaml:"together"`
	Apart    [][]string `yaml:"apart"`
	Cost     *Cost      `yaml:"cost"`
	Cluster  Cluster    `yaml:"clustering"`
	// Services declares the target services for the gate: name → package patterns.
	Services map[string][]string `yaml:"services"`
	// Libraries are package patterns shared by services, linked into each.
	Libraries []string `yaml:"libraries"`
	// Tiers are ceilings: the tightest tier allowed between two services.
	Tiers   []TierRule `yaml:"tiers"`
	Rules   Rules      `yaml:"rules"`
	Runtime Runtime    `yaml:"runtime"`
	// Baseline is the gate's baseline file, relative to this file;
	// "" means podsplit.baseline.json beside it.
	Baseline string `yaml:"baseline"`

	// Path is the file the configuration was read from ("" for defaults).
	Path string `yaml:"-"`
	// lines records the line of each top-level entry, for error messages.
	lines map[string]int
}

// Cost overrides the cost model; zero fields keep the defaults.
type Cost struct {
	ProcessUS  float64 `yaml:"process_us"`
	PodUS      float64 `yaml:"pod_us"`
	NetworkUS  float64 `yaml:"network_us"`
	BytesPerUS float64 `yaml:"bytes_per_us"`
	BudgetUS   float64 `yaml:"budget_us"`
	// Requests is how many requests the runtime evidence covers.
	Requests float64 `yaml:"requests"`
}

// Cluster tunes clustering.
type Cluster struct {
	// Resolution of weighted modularity; 0 means the default of 1.
	Resolution float64 `yaml:"resolution"`
	// Services asks for a given number of services; 0 lets the planner choose.
	Services int `yaml:"services"`
	// Seed of the randomised community detection; 0 means the default.
	Seed int64 `yaml:"seed"`
}

// A TierRule is a ceiling between two services: e.g. {between: [orders,
// payments], max: network} forbids anything tighter than RPC between them.
type TierRule struct {
	Between []string `yaml:"between"`
	Max     string   `yaml:"max"`
}

// Rules switches the gate's rules and thresholds.
type Rules struct {
	NoCrossServiceCalls *bool   `yaml:"no_cross_service_calls"`
	NoSharedState       *bool   `yaml:"no_shared_state"`
	NoNewCycles         *bool   `yaml:"no_new_cycles"`
	TierCeiling         *bool   `yaml:"tier_ceiling"`
	MaxICP              float64 `yaml:"max_icp"`
	MaxCutSitesPerStep  int     `yaml:"max_cut_sites_per_step"`
}

// Runtime maps runtime data to components.
type Runtime struct {
	// Services maps OTLP service names to component ids or package paths.
	Services map[string]string `yaml:"services"`
}

// Enabled reports whether a rule switch is on; rules are on by default.
func Enabled(b *bool) bool { return b == nil || *b }

var tiers = []string{"process", "pod", "network"}

// Load reads and validates a configuration file.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: reading %s: %v", ErrConfig, path, err)
	}
	return Parse(path, data)
}

// Parse decodes configuration data; path names it in errors.
func Parse(path string, data []byte) (*Config, error) {
	c := &Config{Path: path}
	if len(bytes.TrimSpace(data)) == 0 {
		return c, nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil {
		return nil, decodeError(path, err)
	}
	c.lines = topLevelLines(data)
	if err := c.validate(); err != nil {
		return nil, err
	}
	return c, nil
}

var lineRE = regexp.MustCompile(`line (\d+): (.*)`)
var unknownRE = regexp.MustCompile(`field (\S+) not found in type`)

// decodeError turns a yaml error into "file:line: message" lines.
func decodeError(path string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n")
	var parts []string
	for _, line := range strings.Split(msg, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if m := lineRE.FindStringSubmatch(line); m != nil {
			detail := m[2]
			if u := unknownRE.FindStringSubmatch(detail); u != nil {
				detail = fmt.Sprintf("unknown key %q", u[1])
			}
			parts = append(parts, fmt.Sprintf("%s:%s: %s", path, m[1], detail))
			continue
		}
		parts = append(parts, path+": "+line)
	}
	return fmt.Errorf("%w: %s", ErrConfig, strings.Join(parts, "; "))
}

func topLevelLines(data []byte) map[string]int {
	var root yaml.Node
	lines := map[string]int{}
	if yaml.Unmarshal(data, &root) != nil || len(root.Content) == 0 {
		return lines
	}
	m := root.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		lines[m.Content[i].Value] = m.Content[i].Line
	}
	return lines
}

// errorf reports a bad value of a top-level key, with its line.
func (c *Config) errorf(key, format string, args ...any) error {
	loc := c.Path
	if n := c.lines[strings.SplitN(key, ".", 2)[0]]; n > 0 {
		loc += ":" + strconv.Itoa(n)
	}
	return fmt.Errorf("%w: %s: %s: %s", ErrConfig, loc, key, fmt.Sprintf(format, args...))
}
