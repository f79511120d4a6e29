package manifest

import (
	"encoding/json"
	"fmt"

	"sigs.k8s.io/yaml"
)

// An object is one Kubernetes object of a step, written to its own file.
type object struct {
	kind, name string
	v          any
}

func (o object) file() string { return fileName(o.kind, o.name) }

// encode writes v as YAML through its JSON form, so that the JSON tags of
// the API types decide the field names, with keys sorted. The status,
// which API types always carry, is left out: desired state has none. It
// remembers the YAML of every object it has written: each step directory
// holds the whole desired state, so most objects are written once per
// step, unchanged, and turning JSON into YAML is most of the cost of
// writing them.
func (b *builder) encode(v any) ([]byte, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encoding object: %w", err)
	}
	if out, ok := b.encoded[string(data)]; ok {
		return out[:len(out):len(out)], nil
	}
	out, err := jsonToYAML(data)
	if err != nil {
		return nil, err
	}
	if b.encoded == nil {
		b.encoded = map[string][]byte{}
	}
	b.encoded[string(data)] = out
	return out[:len(out):len(out)], nil
}

// jsonToYAML turns an object's JSON into YAML without its status.
func jsonToYAML(data []byte) ([]byte, error) {
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("encoding object: %w", err)
	}
	delete(m, "status")
	out, err := yaml.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("encoding object: %w", err)
	}
	return out, nil
}
