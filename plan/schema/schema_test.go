package schema_test

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/podsplit/podsplit/internal/pipeline"
	"github.com/podsplit/podsplit/plan"
	"github.com/podsplit/podsplit/plan/schema"
)

func compile(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema.Plan))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("plan.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("plan.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestShopPlanValidates checks the real plan of fixtures/shop against the
// shipped schema, and that the schema rejects a plan missing a contract field.
func TestShopPlanValidates(t *testing.T) {
	dir, _ := filepath.Abs("../../fixtures/shop")
	a, err := pipeline.Run(context.Background(), pipeline.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := plan.WriteJSON(&buf, plan.Make(a.Graph, plan.OptionsFromConfig(a.Config))); err != nil {
		t.Fatal(err)
	}
	s := compile(t)
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(doc); err != nil {
		t.Fatalf("plan of fixtures/shop does not validate: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "target")
	if err := s.Validate(m); err == nil || !strings.Contains(err.Error(), "target") {
		t.Fatalf("a plan without target validated: %v", err)
	}
}
