package plan

import (
	"encoding/json"
	"io"
)

// WriteJSON writes a plan as indented JSON (schema "podsplit.plan/v1"),
// ending with a newline.
func WriteJSON(w io.Writer, p *Plan) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(p)
}
