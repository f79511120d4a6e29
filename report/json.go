package report

import (
	"bytes"
	"encoding/json"
	"io"
	"strconv"
)

// JSON writes v as indented JSON followed by a newline. HTML characters are
// not escaped, so routes like "/a?b&c" stay readable.
func JSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
