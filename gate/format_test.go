package gate_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/podsplit/podsplit/gate"
)

// sampleReport is a report with a new violation, a baselined one, a
// repository-wide one, a fixed baseline entry and a note; its module lies
// in services/shop of the repository.
func sampleReport() *gate.Report {
	newV := gate.Violation{Rule: gate.RuleCrossServiceCall, Pos: "orders/orders.go:212", From: "orders", To: "payments",
		Subject:     "orders.(*Service).audit → payments.(*Service).Charge",
		Message:     "orders.(*Service).audit calls payments.(*Service).Charge in-process, across the boundary from service orders to service payments (ceiling network)",
		Fingerprint: "0f1e2d3c4b5a69788796a5b4c3d2e1f0"}
	old := gate.Violation{Rule: gate.RuleSharedState, Pos: "cart/cart.go:96", From: "cart", To: "catalog",
		Subject:     "cart writes catalog.PriceCache",
		Message:     "service cart writes catalog.PriceCache, package-level state of service catalog (ceiling network)",
		Fingerprint: "00112233445566778899aabbccddeeff"}
	icp := gate.Violation{Rule: gate.RuleMaxICP, Subject: "icp",
		Message:     "the inter-call percentage of the declared services is 0.612, above rules.max_icp 0.500",
		Fingerprint: "ffeeddccbbaa99887766554433221100"}
	return &gate.Report{
		Result: &gate.Result{Violations: []gate.Violation{old, newV, icp}, ICP: 0.612,
			Notes: []string{"component tools belongs to no declared service or library: its links are not checked"}},
		Diff: gate.Diff{New: []gate.Violation{newV, icp}, Baselined: []gate.Violation{old},
			Fixed: []gate.Entry{{Rule: gate.RuleServiceCycle, File: "payments/payments.go", Subject: "orders ⇄ payments", Fingerprint: "aa"}}},
		Prefix: "services/shop/", Config: "podsplit.yaml", Baseline: "podsplit.baseline.json",
	}
}

var goldenExt = map[string]string{"text": "txt", "sarif": "sarif", "github": "github", "markdown": "md", "codequality": "json"}

// TestFormats compares every format's output with its golden file.
func TestFormats(t *testing.T) {
	for _, format := range gate.Formats {
		t.Run(format, func(t *testing.T) {
			var b bytes.Buffer
			if err := gate.Write(&b, format, sampleReport()); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "format", "report."+goldenExt[format])
			if *update {
				if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if b.String() != string(want) {
				t.Errorf("%s output differs from %s:\n%s", format, golden, b.String())
			}
		})
	}
}

func TestWriteUnknownFormat(t *testing.T) {
	err := gate.Write(&bytes.Buffer{}, "xml", sampleReport())
	if err == nil || !strings.Contains(err.Error(), `unknown format "xml"`) {
		t.Fatalf("got %v, want an unknown format error", err)
	}
}

// TestSARIFSchema validates the SARIF output against the SARIF 2.1.0 JSON
// schema, then checks what GitHub code scanning relies on: stable rule ids
// with help, partial fingerprints, repository-relative URIs.
func TestSARIFSchema(t *testing.T) {
	var out bytes.Buffer
	if err := gate.Write(&out, "sarif", sampleReport()); err != nil {
		t.Fatal(err)
	}
	if err := validateSARIF(t, out.Bytes()); err != nil {
		t.Fatalf("SARIF output does not match the SARIF 2.1.0 schema: %v", err)
	}
	broken := bytes.Replace(out.Bytes(), []byte(`"baselineState": "new"`), []byte(`"baselineState": "brand-new"`), 1)
	if validateSARIF(t, broken) == nil {
		t.Fatal("the schema accepted a result with a bad baselineState")
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID   string `json:"id"`
						Help struct {
							Text string `json:"text"`
						} `json:"help"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID              string            `json:"ruleId"`
				RuleIndex           int               `json:"ruleIndex"`
				BaselineState       string            `json:"baselineState"`
				PartialFingerprints map[string]string `json:"partialFingerprints"`
				Locations           []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(out.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if len(run.Tool.Driver.Rules) != len(gate.Rules) {
		t.Fatalf("got %d rules, want %d", len(run.Tool.Driver.Rules), len(gate.Rules))
	}
	for _, r := range run.Tool.Driver.Rules {
		if r.Help.Text == "" {
			t.Errorf("rule %s has no help", r.ID)
		}
	}
	got := map[string]string{}
	for _, res := range run.Results {
		loc := res.Locations[0].PhysicalLocation
		got[res.RuleID] = res.BaselineState + " " + loc.ArtifactLocation.URI + ":" + itoa(loc.Region.StartLine) +
			" " + res.PartialFingerprints[gate.FingerprintKey]
		if run.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result of %s points at rule %d", res.RuleID, res.RuleIndex)
		}
	}
	want := map[string]string{
		gate.RuleCrossServiceCall: "new services/shop/orders/orders.go:212 0f1e2d3c4b5a69788796a5b4c3d2e1f0",
		gate.RuleMaxICP:           "new services/shop/podsplit.yaml:1 ffeeddccbbaa99887766554433221100",
		gate.RuleSharedState:      "unchanged services/shop/cart/cart.go:96 00112233445566778899aabbccddeeff",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: got %q, want %q", k, got[k], w)
		}
	}
}

// validateSARIF validates a SARIF log against the schema in testdata.
func validateSARIF(t *testing.T, data []byte) error {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("sarif-schema-2.1.0.json", doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return schema.Validate(inst)
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
