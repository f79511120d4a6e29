package manifest

import (
	"fmt"
	"path"
	"strings"

	"github.com/podsplit/podsplit/graph"
)

// Images of the JavaScript and TypeScript builds.
const (
	nodeImage  = "node:22-slim"
	nginxImage = "nginxinc/nginx-unprivileged:stable"
)

// sitePort is where nginx-unprivileged serves a browser application.
const sitePort = 8080

// findProject copies the Node project into /app: the first of the
// directories given, from the component's up to the repository root
// (bound at /ctx), that has a package.json; the plan does not list the
// project's files. It installs the dependencies, from the lock file when
// there is one, and says in /app/.project which directory it took.
const findProject = `set -e
for d in "$@"; do
	if [ -f "/ctx/$d/package.json" ]; then
		cp -a "/ctx/$d/." /app/
		cd /app
		rm -rf node_modules
		if [ -f package-lock.json ]; then npm ci; else npm install; fi
		echo "$d" >.project
		exit 0
	fi
done
echo "no package.json from $1 up to the repository root" >&2
exit 1
`

// linkEntry links /entry/main.EXT to the program's entry inside the
// project, whose place is known only once findProject found the project.
// A TypeScript entry is compiled by the project's build script first, and
// its JavaScript looked for where compilers put it: under dist, build, out
// or lib, with or without the first directory of the source path (src/).
// Arguments: the entry (repository-relative), the extension of the
// JavaScript to run, and "build" when it must be compiled.
const linkEntry = `set -e
entry=$1 ext=$2 build=$3
cd /app
d=$(cat .project)
rel=${entry#"$d"/}
main=$rel
if [ "$build" = build ]; then
	npm run build
	base=${rel%.*}
	main=
	for o in dist build out lib; do
		for f in "$o/$base$ext" "$o/${base#*/}$ext"; do
			if [ -z "$main" ] && [ -f "$f" ]; then main=$f; fi
		done
	done
	if [ -z "$main" ]; then
		echo "npm run build left no $base$ext under dist, build, out or lib" >&2
		exit 1
	fi
fi
npm prune --omit=dev
mkdir -p /entry
ln -s "/app/$main" "/entry/main$ext"
`

// buildSite builds the browser application in /app with its build script
// and copies the directory holding the built index.html to /site: dist
// (Vite), build (Create React App), out (Next.js export), or a directory
// below dist (Angular).
const buildSite = `set -e
cd /app
npm run build
for f in dist/index.html build/index.html out/index.html dist/*/index.html dist/*/browser/index.html; do
	if [ -f "$f" ]; then
		cp -a "$(dirname "$f")" /site
		exit 0
	fi
done
echo "npm run build left no index.html under dist, build or out" >&2
exit 1
`

// siteConfig serves the built files and answers every other path with
// index.html, so that the application's own routes load it.
const siteConfig = `server {
	listen 8080;
	root /usr/share/nginx/html;
	location / {
		try_files $uri $uri/ /index.html;
	}
}
`

// jsOutput is the extension of the JavaScript that a source file runs as.
var jsOutput = map[string]string{".ts": ".js", ".mts": ".mjs", ".cts": ".cjs", ".tsx": ".js", ".jsx": ".js"}

// nodeBuild returns the first stage of both Node recipes: the project
// found and its dependencies installed under /app.
func nodeBuild(dir string) (dockerfile, error) {
	dirs, err := upward(dir)
	if err != nil {
		return nil, err
	}
	return dockerfile{
		blank(),
		plain("FROM", nodeImage+" AS build"),
		comment("The plan does not list the project's files: find-project looks for them."),
		heredoc("/usr/local/bin/find-project", findProject),
		execForm("RUN", append([]string{"sh", "/usr/local/bin/find-project"}, dirs...),
			"--mount=type=bind,target=/ctx", "--mount=type=cache,target=/root/.npm"),
	}, nil
}

// A nodeEntry is the file that starts a Node program.
type nodeEntry struct {
	path    string // repository-relative
	ext     string // the extension of the JavaScript that runs
	build   bool   // written in TypeScript: compiled first
	created bool   // no entry was found: the step must create this one
}

// nodeEntryOf returns the entry of component m, or the index file the
// step must create in its directory.
func nodeEntryOf(m *graph.Component, lang string) (nodeEntry, error) {
	e := nodeEntry{path: m.Entry, created: m.Entry == ""}
	if e.created {
		e.path = path.Join(cmpDir(m.Dir), "index.js")
		if lang == langTypeScript {
			e.path = path.Join(cmpDir(m.Dir), "index.ts")
		}
	}
	p, err := repoPath(e.path)
	if err != nil {
		return e, err
	}
	e.path, e.ext = p, path.Ext(p)
	if out, ok := jsOutput[e.ext]; ok {
		e.ext, e.build = out, true
	}
	return e, nil
}

// describe says what starts the program, for the README and the
// Dockerfile.
func (e nodeEntry) describe(lang string) (string, dockerfile) {
	desc := "`" + e.path + "` (" + lang + ")"
	start := "Entry: " + e.path + ", the file that starts the program."
	if e.created {
		desc += " (to create)"
		start = "Entry: none was found: the step that adds this container must create " + e.path + "."
	}
	if e.build {
		start += " It is compiled by the project's build script (npm run build) and run as JavaScript."
	}
	return desc, prose("%s", start)
}

// nodeRecipe runs a Node program: its entry, compiled first when written
// in TypeScript.
func (b *builder) nodeRecipe(img image) (recipe, error) {
	e, err := nodeEntryOf(img.prog.main, img.prog.lang)
	if err != nil {
		return recipe{}, err
	}
	stage, err := nodeBuild(path.Dir(e.path))
	if err != nil {
		return recipe{}, err
	}
	build := ""
	if e.build {
		build = "build"
	}
	desc, notes := e.describe(img.prog.lang)
	df := append(b.header(img, repoRoot), notes...)
	df = append(df, components(img))
	df = append(df, mixNote(img)...)
	df = append(df, stage...)
	df = append(df,
		heredoc("/usr/local/bin/link-entry", linkEntry),
		execForm("RUN", []string{"sh", "/usr/local/bin/link-entry", e.path, e.ext, build}),
		blank(),
		plain("FROM", nodeImage),
		plain("ENV", "NODE_ENV=production"),
		plain("WORKDIR", "/app"),
		plain("COPY", "/app /app", "--from=build"),
		plain("COPY", "/entry /entry", "--from=build"),
		plain("USER", runAs),
		execForm("CMD", []string{"node", "/entry/main" + e.ext}),
	)
	return recipe{entry: desc, file: df}, nil
}

// siteRecipe builds a browser application into static files served by
// nginx, unprivileged, on port 8080.
func (b *builder) siteRecipe(img image) (recipe, error) {
	m := img.prog.main
	df := b.header(img, repoRoot)
	why := "which mounts the React app"
	if !strings.HasPrefix(m.RoleReason, reactEntry) {
		why = "written in JSX"
	}
	df = append(df, prose("Entry: %s, %s: a browser application, built by the project's build script (npm run build) "+
		"and served as static files by nginx on port %d.", m.Entry, why, sitePort)...)
	df = append(df, components(img))
	df = append(df, mixNote(img)...)
	stage, err := nodeBuild(m.Dir)
	if err != nil {
		return recipe{}, err
	}
	df = append(df, stage...)
	df = append(df,
		heredoc("/usr/local/bin/build-site", buildSite),
		execForm("RUN", []string{"sh", "/usr/local/bin/build-site"}),
		blank(),
		plain("FROM", nginxImage),
		heredoc("/etc/nginx/conf.d/default.conf", siteConfig),
		plain("COPY", "/site/ /usr/share/nginx/html/", "--from=build"),
		plain("USER", runAs),
		plain("EXPOSE", fmt.Sprint(sitePort)),
	)
	return recipe{entry: "`" + cmpDir(m.Dir) + "` (browser application)", file: df}, nil
}
