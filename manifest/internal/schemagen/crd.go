package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"go.yaml.in/yaml/v3"
)

// readCRDs reads a multi-document YAML file of CustomResourceDefinitions.
func readCRDs(path string) ([]map[string]any, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading crds: %w", err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs []map[string]any
	for {
		var doc map[string]any
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading crds: %w", err)
		}
		if doc != nil {
			docs = append(docs, doc)
		}
	}
}

// crdSchema converts one version of one CRD into a schema of the whole
// object: the CRD's openAPIV3Schema with Kubernetes object metadata and the
// pinned apiVersion and kind.
func crdSchema(c *converter, docs []map[string]any, name, version string) (apiVersion, kind string, s map[string]any, err error) {
	for _, doc := range docs {
		if str(doc, "metadata", "name") != name {
			continue
		}
		group, kind := str(doc, "spec", "group"), str(doc, "spec", "names", "kind")
		versions, _ := dig(doc, "spec", "versions").([]any)
		for _, v := range versions {
			vm, _ := v.(map[string]any)
			if vm["name"] != version {
				continue
			}
			raw, ok := dig(vm, "schema", "openAPIV3Schema").(map[string]any)
			if !ok {
				return "", "", nil, fmt.Errorf("crd %s %s has no schema", name, version)
			}
			if s, err = c.schema(raw); err != nil {
				return "", "", nil, fmt.Errorf("converting crd %s: %w", name, err)
			}
			if err := addMetadata(c, s); err != nil {
				return "", "", nil, err
			}
			apiVersion = group + "/" + version
			pinKind(s, apiVersion, kind)
			return apiVersion, kind, s, nil
		}
	}
	return "", "", nil, fmt.Errorf("no crd %s version %s", name, version)
}

// addMetadata gives a CRD schema the ObjectMeta schema of Kubernetes, which
// CRDs leave implicit, and closes the top-level object.
func addMetadata(c *converter, s map[string]any) error {
	meta, err := c.definition("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")
	if err != nil {
		return err
	}
	props, _ := s["properties"].(map[string]any)
	if props == nil {
		return errors.New("crd schema has no properties")
	}
	props["metadata"] = meta
	s["type"] = "object"
	s["additionalProperties"] = false
	return nil
}

func dig(m map[string]any, path ...string) any {
	var v any = m
	for _, k := range path {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = mm[k]
	}
	return v
}

func str(m map[string]any, path ...string) string {
	s, _ := dig(m, path...).(string)
	return s
}
