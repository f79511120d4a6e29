package manifest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"strings"
)

// A dockerfile is a Dockerfile as data, rendered one instruction per line.
// Values from the plan (directories, entry files, module names) only ever
// go into the JSON-array form of an instruction, encoded by encoding/json,
// or into comments, cleaned of line breaks; the plain form holds constants
// and Go package paths, which Go restricts to safe characters. So no
// repository path can break a line, start a shell command or expand a
// build variable.
type dockerfile []instr

// An instr is one instruction, comment or blank line.
type instr struct {
	op    string   // "FROM", "RUN", …; "#" for a comment; "" for a blank line
	flags []string // constant flags: "--from=build", "--mount=type=bind,target=/ctx"
	arg   string   // the plain form; for a here-document, its target path
	exec  []string // the JSON-array form, when not nil
	doc   string   // a here-document's lines, each ending in "\n"
}

// heredocEnd ends every here-document; the quotes around it in the
// instruction turn off variable expansion inside.
const heredocEnd = "EOF"

func comment(format string, args ...any) instr {
	return instr{op: "#", arg: fmt.Sprintf(format, args...)}
}

// commentWidth is where prose comments wrap.
const commentWidth = 76

// prose returns a comment wrapped into lines of at most commentWidth
// characters, breaking between words.
func prose(format string, args ...any) dockerfile {
	var out dockerfile
	line := ""
	for _, w := range strings.Fields(oneLine(fmt.Sprintf(format, args...))) {
		if line != "" && len(line)+1+len(w) > commentWidth {
			out = append(out, comment("%s", line))
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	if line != "" {
		out = append(out, comment("%s", line))
	}
	return out
}

func blank() instr { return instr{} }

func plain(op, arg string, flags ...string) instr { return instr{op: op, flags: flags, arg: arg} }

func execForm(op string, args []string, flags ...string) instr {
	return instr{op: op, flags: flags, exec: args}
}

// heredoc writes doc to target in the image.
func heredoc(target, doc string, flags ...string) instr {
	return instr{op: "COPY", flags: flags, arg: target, doc: doc}
}

// render writes the Dockerfile, one line per instruction.
func (d dockerfile) render() ([]byte, error) {
	var w bytes.Buffer
	for _, in := range d {
		if err := in.write(&w); err != nil {
			return nil, fmt.Errorf("rendering %s: %w", in.op, err)
		}
	}
	return w.Bytes(), nil
}

func (in instr) write(w *bytes.Buffer) error {
	switch in.op {
	case "":
		w.WriteString("\n")
		return nil
	case "#":
		fmt.Fprintf(w, "# %s\n", oneLine(in.arg))
		return nil
	}
	parts := append([]string{in.op}, in.flags...)
	switch {
	case in.exec != nil:
		arr, err := jsonArray(in.exec)
		if err != nil {
			return err
		}
		parts = append(parts, arr)
	case in.doc != "":
		if strings.Contains("\n"+in.doc, "\n"+heredocEnd+"\n") || !strings.HasSuffix(in.doc, "\n") {
			return errors.New("here-document must end in a line break and hold no end marker")
		}
		parts = append(parts, `<<"`+heredocEnd+`"`, in.arg)
	default:
		parts = append(parts, in.arg)
	}
	line := strings.Join(parts, " ")
	if strings.ContainsAny(line, "\r\n") || strings.HasSuffix(line, `\`) {
		return fmt.Errorf("%q would not stay on one line", line)
	}
	w.WriteString(line + "\n")
	if in.doc != "" {
		w.WriteString(in.doc + heredocEnd + "\n")
	}
	return nil
}

// jsonArray encodes the exec form: a JSON array of strings on one line,
// without the HTML escaping encoding/json does by default.
func jsonArray(args []string) (string, error) {
	quoted := make([]string, len(args))
	for i, a := range args {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(a); err != nil {
			return "", err
		}
		quoted[i] = strings.TrimSuffix(b.String(), "\n")
	}
	return "[" + strings.Join(quoted, ", ") + "]", nil
}

// oneLine replaces the control characters of a comment's text, so that it
// stays one comment line.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

// errUnsafePath reports a repository path that a Dockerfile cannot name
// without escaping rules that differ between builders.
var errUnsafePath = errors.New("cannot be named in a Dockerfile")

// repoPath checks a repository-relative path before it goes into COPY or a
// build script: COPY sources expand $VARIABLES and wildcards even in the
// JSON form, so paths holding them, backslashes or control characters are
// refused, as are paths that leave the repository.
func repoPath(p string) (string, error) {
	clean := path.Clean(p)
	if p == "" || path.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../") {
		return "", fmt.Errorf("path %q %w: it is not inside the repository", p, errUnsafePath)
	}
	for _, r := range clean {
		if r < 0x20 || r == 0x7f || strings.ContainsRune(`$\*?[`, r) {
			return "", fmt.Errorf("path %q %w: it holds %q", p, errUnsafePath, r)
		}
	}
	return clean, nil
}
