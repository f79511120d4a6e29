// Package schema ships the JSON Schema of podsplit's plan output
// (podsplit.plan/v1), so that tools consuming plan.json can validate it.
package schema

import _ "embed"

// Plan is the JSON Schema (draft 2020-12) of `podsplit plan --format json`.
//
//go:embed plan.schema.json
var Plan []byte
