package report

import (
	"strings"
	"testing"
)

func TestInlineSVG(t *testing.T) {
	in := `<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<!-- c0&#45;&gt;c1 -->
<svg width="100pt" height="50pt" viewBox="0 0 100 50" onload="alert(1)" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">
<script>alert(2)</script>
<style>svg { background: url(http://evil/) }</style>
<g id="node1" class="node" style="fill:url(http://evil/)" onclick="alert(3)">
<title>&lt;/svg&gt;&lt;script&gt;alert(4)&lt;/script&gt;</title>
<g id="a_node1"><a xlink:href="javascript:alert(5)" xlink:title="&quot;&gt;&lt;img src=x onerror=alert(6)&gt;">
<polygon fill="url(#grad)" stroke="url(http://evil/x)" points="0,0 1,1"/>
<text x="1" y="2"><![CDATA[</text></svg><script>alert(7)</script>]]></text>
</a></g>
<foreignObject><div xmlns="http://www.w3.org/1999/xhtml"><script>alert(8)</script></div></foreignObject>
<image href="http://evil/i.png"/>
</g>
</svg>
<svg><script>alert(9)</script></svg>`
	got, err := inlineSVG([]byte(in), "p-", true)
	if err != nil {
		t.Fatal(err)
	}
	want := `<svg viewBox="0 0 100 50">` + "\n\n\n" +
		`<g id="p-node1" class="node">` + "\n\n" +
		`<title>&#34;&gt;&lt;img src=x onerror=alert(6)&gt;</title>` + "\n" +
		`<polygon fill="url(#p-grad)" stroke="none" points="0,0 1,1"></polygon>` + "\n" +
		`<text x="1" y="2">&lt;/text&gt;&lt;/svg&gt;&lt;script&gt;alert(7)&lt;/script&gt;</text>` + "\n" +
		"\n\n\n" + `</g>` + "\n" + `</svg>`
	if got != want {
		t.Errorf("inlineSVG:\n got %s\nwant %s", got, want)
	}
	kept, err := inlineSVG([]byte(`<svg xmlns="http://www.w3.org/2000/svg" width="1pt" height="2pt"></svg>`), "", false)
	if err != nil || !strings.Contains(kept, `width="1pt" height="2pt"`) {
		t.Errorf("without fit the size goes: %q, %v", kept, err)
	}
	for _, bad := range []string{"", "<svg>", "<g xmlns=\"http://www.w3.org/2000/svg\"></g>", "not xml <"} {
		if _, err := inlineSVG([]byte(bad), "", true); err == nil {
			t.Errorf("inlineSVG(%q) gave no error", bad)
		}
	}
}
