package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// A converter turns OpenAPI schemas into standalone, strict JSON schemas of
// the kind kubeconform reads: every $ref resolved in place, descriptions and
// Kubernetes extensions dropped, objects closed to unknown fields.
type converter struct {
	defs  map[string]any // OpenAPI v2 definitions, by name
	stack []string       // definitions being expanded, to reject cycles
}

const refPrefix = "#/definitions/"

// quantity is the definition of resource quantities, which YAML may write as
// numbers although the OpenAPI spec calls them strings.
const quantity = "io.k8s.apimachinery.pkg.api.resource.Quantity"

// copied lists the JSON-schema keywords that carry over unchanged.
var copied = []string{
	"enum", "required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
	"minLength", "maxLength", "pattern", "minItems", "maxItems", "uniqueItems",
	"minProperties", "maxProperties", "multipleOf",
}

// definition converts the named definition.
func (c *converter) definition(name string) (map[string]any, error) {
	if slices.Contains(c.stack, name) {
		return nil, fmt.Errorf("definition %s refers to itself through %s", name, strings.Join(c.stack, " → "))
	}
	if name == quantity {
		return oneOf("string", "number"), nil
	}
	def, ok := c.defs[name].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("no definition %s", name)
	}
	c.stack = append(c.stack, name)
	defer func() { c.stack = c.stack[:len(c.stack)-1] }()
	return c.schema(def)
}

// schema converts one schema node.
func (c *converter) schema(s map[string]any) (map[string]any, error) {
	if ref, ok := s["$ref"].(string); ok {
		name, found := strings.CutPrefix(ref, refPrefix)
		if !found {
			return nil, fmt.Errorf("unsupported $ref %s", ref)
		}
		return c.definition(name)
	}
	if s["format"] == "int-or-string" || s["x-kubernetes-int-or-string"] == true {
		return oneOf("string", "integer"), nil
	}
	out := map[string]any{}
	for _, k := range copied {
		if v, ok := s[k]; ok {
			out[k] = v
		}
	}
	if err := c.children(s, out); err != nil {
		return nil, err
	}
	if t, ok := s["type"]; ok {
		out["type"] = t
		if s["nullable"] == true {
			out["type"] = []any{t, "null"}
		}
	}
	if f, ok := s["format"].(string); ok {
		out["format"] = f
	}
	closeObject(s, out)
	return out, nil
}

// children converts the sub-schemas of s into out.
func (c *converter) children(s, out map[string]any) error {
	if props, ok := s["properties"].(map[string]any); ok {
		conv := map[string]any{}
		for _, name := range slices.Sorted(maps.Keys(props)) {
			p, err := c.sub(props[name])
			if err != nil {
				return fmt.Errorf("property %s: %w", name, err)
			}
			conv[name] = p
		}
		out["properties"] = conv
	}
	for _, k := range []string{"items", "additionalProperties", "not"} {
		switch v := s[k].(type) {
		case map[string]any:
			conv, err := c.schema(v)
			if err != nil {
				return fmt.Errorf("%s: %w", k, err)
			}
			out[k] = conv
		case bool:
			out[k] = v
		}
	}
	for _, k := range []string{"allOf", "anyOf", "oneOf"} {
		list, ok := s[k].([]any)
		if !ok {
			continue
		}
		conv := make([]any, len(list))
		for i, v := range list {
			sub, err := c.sub(v)
			if err != nil {
				return fmt.Errorf("%s[%d]: %w", k, i, err)
			}
			conv[i] = sub
		}
		out[k] = conv
	}
	return nil
}

func (c *converter) sub(v any) (map[string]any, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("schema is %T, not an object", v)
	}
	return c.schema(m)
}

// closeObject makes an object with declared properties reject any other
// field, as the API server does, unless the schema keeps unknown fields.
func closeObject(s, out map[string]any) {
	if _, declared := out["properties"]; !declared {
		return
	}
	if _, set := out["additionalProperties"]; set || s["x-kubernetes-preserve-unknown-fields"] == true {
		return
	}
	out["additionalProperties"] = false
}

func oneOf(types ...string) map[string]any {
	var alts []any
	for _, t := range types {
		alts = append(alts, map[string]any{"type": t})
	}
	return map[string]any{"oneOf": alts}
}

// pinKind restricts apiVersion and kind of a top-level schema to one kind.
func pinKind(s map[string]any, apiVersion, kind string) {
	props, _ := s["properties"].(map[string]any)
	if props == nil {
		props = map[string]any{}
		s["properties"] = props
	}
	props["apiVersion"] = map[string]any{"type": "string", "enum": []any{apiVersion}}
	props["kind"] = map[string]any{"type": "string", "enum": []any{kind}}
	s["required"] = sortedUnion(s["required"], "apiVersion", "kind")
}

func sortedUnion(v any, add ...string) []any {
	set := map[string]bool{}
	list, _ := v.([]any)
	for _, x := range list {
		if s, ok := x.(string); ok {
			set[s] = true
		}
	}
	for _, s := range add {
		set[s] = true
	}
	var out []any
	for _, s := range slices.Sorted(maps.Keys(set)) {
		out = append(out, s)
	}
	return out
}
