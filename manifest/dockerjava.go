package manifest

import (
	"path"
	"strings"
)

// Images of the Java build.
const (
	mavenImage = "maven:3-eclipse-temurin-21"
	jreImage   = "eclipse-temurin:21-jre"
)

// javaSources is where Maven and Gradle keep a project's Java code.
const javaSources = "src/main/java"

// buildJar builds the project of the first of the directories given, from
// the component's up to the repository root (bound at /ctx, writable so
// that builds write their output beside the sources, and whole so that a
// parent pom.xml or settings.gradle is found), that has a pom.xml (Maven)
// or a build.gradle (Gradle, run with the nearest wrapper, gradlew, at or
// above it). It leaves the application's jar at /out/app.jar. The plan
// does not list the project's files, so the tool is chosen when the image
// is built.
const buildJar = `set -e
out=
for d in "$@"; do
	cd "/ctx/$d"
	if [ -f pom.xml ]; then
		mvn -B -q -DskipTests package
		out=target
		break
	fi
	if [ -f build.gradle ] || [ -f build.gradle.kts ]; then
		w=$(pwd)
		while [ ! -f "$w/gradlew" ] && [ "$w" != /ctx ]; do w=$(dirname "$w"); done
		if [ ! -f "$w/gradlew" ]; then
			echo "the Gradle project $d has no wrapper (gradlew)" >&2
			exit 1
		fi
		sh "$w/gradlew" --no-daemon -q -p . assemble
		out=build/libs
		break
	fi
done
if [ -z "$out" ]; then
	echo "no pom.xml, build.gradle or build.gradle.kts from $1 up" >&2
	exit 1
fi
mkdir -p /out
for jar in "$out"/*.jar; do
	case "$jar" in *-plain.jar|*-sources.jar|*-javadoc.jar|*-tests.jar) continue ;; esac
	cp "$jar" /out/app.jar
	exit 0
done
echo "the build left no jar in $d/$out" >&2
exit 1
`

// javaProject returns the project directory of a Java component: the one
// above src/main/java, where the pom.xml or build.gradle of a Maven or
// Gradle project lives, and whether the component follows that layout.
func javaProject(dir string) (string, bool) {
	dir = cmpDir(dir)
	if dir == javaSources || strings.HasPrefix(dir, javaSources+"/") {
		return ".", true
	}
	if i := strings.Index(dir+"/", "/"+javaSources+"/"); i >= 0 {
		return dir[:i], true
	}
	return dir, false
}

// mainClass names the class an entry file declares, from its path below
// the source directory.
func mainClass(project, entry string) string {
	rel := strings.TrimPrefix(entry, path.Join(project, javaSources)+"/")
	return strings.ReplaceAll(strings.TrimSuffix(rel, ".java"), "/", ".")
}

// javaRecipe builds the project with Maven or Gradle and runs its jar on
// a JRE.
func (b *builder) javaRecipe(img image) (recipe, error) {
	entry := img.prog.main.Entry
	project, maven := javaProject(img.prog.main.Dir)
	dirs, err := upward(project)
	if err != nil {
		return recipe{}, err
	}
	df := b.header(img, repoRoot)
	if maven {
		df = append(df, prose("Project: %s, the directory above %s.", dirs[0], javaSources)...)
	} else {
		df = append(df, prose("Project: the component's directory %s or the nearest above it with a build file, as the component is not below %s.", dirs[0], javaSources)...)
	}
	desc := "`" + dirs[0] + "` (java)"
	if entry != "" {
		class := mainClass(project, entry)
		desc = "`" + class + "` (java)"
		df = append(df, prose("Main class: %s (%s).", class, entry)...)
	} else {
		df = append(df, comment("Main class: none was found: the jar's manifest must name one."))
	}
	df = append(df, prose("Build tool: chosen when the image is built, as the plan does not list the project's files: "+
		"Maven for a pom.xml, else Gradle, through the project's wrapper (gradlew), for a build.gradle; "+
		"this image has Maven and the JDK that Gradle's wrapper runs on. "+
		"java -jar needs an executable jar: Spring Boot's plugins make one, other builds must set its Main-Class.")...)
	df = append(df, components(img))
	df = append(df, mixNote(img)...)
	df = append(df,
		blank(),
		plain("FROM", mavenImage+" AS build"),
		heredoc("/usr/local/bin/build-jar", buildJar),
		execForm("RUN", append([]string{"sh", "/usr/local/bin/build-jar"}, dirs...),
			"--mount=type=bind,target=/ctx,rw", "--mount=type=cache,target=/root/.m2", "--mount=type=cache,target=/root/.gradle"),
		blank(),
		plain("FROM", jreImage),
		plain("COPY", "/out/app.jar /app/app.jar", "--from=build"),
		plain("USER", runAs),
		execForm("ENTRYPOINT", []string{"java", "-jar", "/app/app.jar"}),
	)
	return recipe{entry: desc, file: df}, nil
}
