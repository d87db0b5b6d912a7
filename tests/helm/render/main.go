// helm-render: renders a Helm chart the way `helm template` does, for the chart tests on a
// machine without helm (tests/helm/README.md). It is built offline in GOPATH mode from Debian's
// Go packages (golang-github-masterminds-sprig-dev, golang-k8s-sigs-yaml-dev): see build.sh.
//
//	helm-render --chart helm/signet [-f values.yaml]... [--release-name signet]
//	            [--namespace default] [--kube-version v1.30.0] [--api-versions G/V]...
//	            [--notes FILE]
//
// What it does as Helm 3 does (helm.sh/helm/v3/pkg/engine and pkg/chartutil):
//   - values: the chart's values.yaml, then each -f file coalesced on top (maps merge, a null
//     deletes the key); numbers are float64 as with sigs.k8s.io/yaml.
//   - one template set over every file in templates/ (names "<chart>/templates/<file>"), the
//     sprig text functions without env/expandenv, plus include, tpl, required, toYaml,
//     fromYaml, fromYamlArray, toJson, fromJson, fromJsonArray and a lookup that finds nothing
//     (as `helm template` without a cluster); missingkey=zero and "<no value>" removed.
//   - .Values, .Release, .Chart (Chart.yaml), .Capabilities (KubeVersion, APIVersions.Has),
//     .Files (Get, GetBytes, Lines; the chart's files outside templates/), .Template.
//   - files whose name starts with '_' are partials; NOTES.txt is rendered separately.
//   - Chart.yaml's kubeVersion is checked against --kube-version; every rendered document must
//     parse as YAML; a `fail` or `required` error is printed as Helm prints it, exit 1.
//
// What it does not do: values.schema.json validation (the node tests do it with ajv), --set,
// subcharts, hooks, and the kind-ordered output of `helm install` (files come in name order).
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/semver"
	"github.com/Masterminds/sprig"
	"sigs.k8s.io/yaml"
)

type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// ChartMeta is the part of Chart.yaml templates read (helm's chart.Metadata field names).
type ChartMeta struct {
	APIVersion  string   `json:"apiVersion"`
	Name        string   `json:"name"`
	Version     string   `json:"version"`
	AppVersion  string   `json:"appVersion"`
	KubeVersion string   `json:"kubeVersion"`
	Description string   `json:"description"`
	Type        string   `json:"type"`
	Home        string   `json:"home"`
	Keywords    []string `json:"keywords"`
	Sources     []string `json:"sources"`
	Icon        string   `json:"icon"`
}

// KubeVersion mirrors chartutil.KubeVersion.
type KubeVersion struct {
	Version    string
	Major      string
	Minor      string
	GitVersion string
}

func (k KubeVersion) String() string { return k.Version }

// VersionSet mirrors chartutil.VersionSet.
type VersionSet []string

// Has reports whether an API version ("apps/v1") or resource ("apps/v1/Deployment") exists.
func (v VersionSet) Has(apiVersion string) bool {
	for _, x := range v {
		if x == apiVersion {
			return true
		}
	}
	return false
}

// Capabilities mirrors chartutil.Capabilities.
type Capabilities struct {
	KubeVersion KubeVersion
	APIVersions VersionSet
}

// Files mirrors helm's engine.files: the chart's files outside templates/.
type Files map[string][]byte

func (f Files) GetBytes(name string) []byte { return f[name] }
func (f Files) Get(name string) string      { return string(f[name]) }
func (f Files) Lines(name string) []string {
	if f[name] == nil {
		return []string{}
	}
	return strings.Split(string(f[name]), "\n")
}

// Default API versions of a cluster (helm's chartutil.DefaultVersionSet, the groups charts ask for).
var defaultAPIVersions = []string{
	"v1", "apps/v1", "autoscaling/v1", "autoscaling/v2", "batch/v1", "policy/v1",
	"networking.k8s.io/v1", "rbac.authorization.k8s.io/v1", "storage.k8s.io/v1",
	"apiextensions.k8s.io/v1", "coordination.k8s.io/v1", "discovery.k8s.io/v1",
}

func main() {
	var valueFiles, apiVersions stringList
	chartDir := flag.String("chart", "", "chart directory")
	releaseName := flag.String("release-name", "signet", "release name")
	namespace := flag.String("namespace", "default", "release namespace")
	kubeVersion := flag.String("kube-version", "v1.30.0", "Kubernetes version for .Capabilities")
	notesOut := flag.String("notes", "", "write the rendered NOTES.txt to this file")
	isUpgrade := flag.Bool("is-upgrade", false, "render as an upgrade (.Release.IsUpgrade)")
	flag.Var(&valueFiles, "f", "values file (repeatable)")
	flag.Var(&valueFiles, "values", "values file (repeatable)")
	flag.Var(&apiVersions, "api-versions", "extra API version for .Capabilities (repeatable)")
	flag.Parse()
	if *chartDir == "" || flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: helm-render --chart DIR [-f values.yaml]... [--notes FILE]")
		os.Exit(2)
	}
	manifests, notes, err := render(*chartDir, valueFiles, *releaseName, *namespace, *kubeVersion,
		apiVersions, *isUpgrade)
	if err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		os.Exit(1)
	}
	os.Stdout.WriteString(manifests)
	if *notesOut != "" {
		if err := os.WriteFile(*notesOut, []byte(notes), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "Error:", err)
			os.Exit(1)
		}
	}
}

func render(chartDir string, valueFiles []string, releaseName, namespace, kubeVersion string,
	extraAPIs []string, isUpgrade bool) (string, string, error) {
	var meta ChartMeta
	if err := readYAML(filepath.Join(chartDir, "Chart.yaml"), &meta); err != nil {
		return "", "", err
	}
	if meta.APIVersion != "v2" || meta.Name == "" || meta.Version == "" {
		return "", "", errors.New("Chart.yaml: apiVersion v2, name and version are required")
	}
	caps, err := capabilities(kubeVersion, extraAPIs)
	if err != nil {
		return "", "", err
	}
	if meta.KubeVersion != "" {
		c, err := semver.NewConstraint(meta.KubeVersion)
		if err != nil {
			return "", "", fmt.Errorf("Chart.yaml kubeVersion: %w", err)
		}
		if v, _ := semver.NewVersion(caps.KubeVersion.Version); !c.Check(v) {
			return "", "", fmt.Errorf("chart requires kubeVersion: %s which is incompatible with "+
				"Kubernetes %s", meta.KubeVersion, caps.KubeVersion.Version)
		}
	}
	values := map[string]interface{}{}
	if err := readYAML(filepath.Join(chartDir, "values.yaml"), &values); err != nil {
		return "", "", err
	}
	for _, f := range valueFiles {
		user := map[string]interface{}{}
		if err := readYAML(f, &user); err != nil {
			return "", "", err
		}
		values = coalesce(user, values)
	}
	templates, files, err := loadChartFiles(chartDir, meta.Name)
	if err != nil {
		return "", "", err
	}
	top := map[string]interface{}{
		"Values": values,
		"Release": map[string]interface{}{
			"Name": releaseName, "Namespace": namespace, "Service": "Helm", "Revision": 1,
			"IsInstall": !isUpgrade, "IsUpgrade": isUpgrade,
		},
		"Chart":        meta,
		"Capabilities": caps,
		"Files":        files,
	}
	return execute(templates, top, meta.Name)
}

func capabilities(kubeVersion string, extra []string) (Capabilities, error) {
	v, err := semver.NewVersion(kubeVersion)
	if err != nil {
		return Capabilities{}, fmt.Errorf("--kube-version %q: %w", kubeVersion, err)
	}
	apis := append(VersionSet{}, defaultAPIVersions...)
	apis = append(apis, extra...)
	return Capabilities{
		KubeVersion: KubeVersion{
			Version: "v" + v.String(), Major: fmt.Sprint(v.Major()), Minor: fmt.Sprint(v.Minor()),
			GitVersion: "v" + v.String(),
		},
		APIVersions: apis,
	}, nil
}

func readYAML(file string, out interface{}) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	if err := yaml.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	return nil
}

// coalesce merges src (user values) over dst (defaults) as helm's chartutil.CoalesceTables:
// nested maps merge, a user null deletes the default, anything else replaces it.
func coalesce(src, dst map[string]interface{}) map[string]interface{} {
	out := map[string]interface{}{}
	for k, v := range dst {
		out[k] = v
	}
	for k, v := range src {
		if v == nil {
			delete(out, k)
			continue
		}
		sm, sok := v.(map[string]interface{})
		dm, dok := out[k].(map[string]interface{})
		if sok && dok {
			out[k] = coalesce(sm, dm)
		} else {
			out[k] = v
		}
	}
	return out
}

// loadChartFiles returns templates/ (name -> text, named "<chart>/templates/<rel>") and the
// other files as .Files (without Chart.yaml, values.yaml and values.schema.json, as helm).
func loadChartFiles(chartDir, chartName string) (map[string]string, Files, error) {
	templates := map[string]string{}
	files := Files{}
	err := filepath.WalkDir(chartDir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(chartDir, p)
		rel = filepath.ToSlash(rel)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		switch {
		case strings.HasPrefix(rel, "templates/"):
			templates[path.Join(chartName, rel)] = string(data)
		case rel == "Chart.yaml" || rel == "values.yaml" || rel == "values.schema.json":
		default:
			files[rel] = data
		}
		return nil
	})
	return templates, files, err
}

func execute(sources map[string]string, top map[string]interface{}, chartName string) (string,
	string, error) {
	t := template.New("gotpl").Option("missingkey=zero")
	t.Funcs(funcMap(t))
	names := make([]string, 0, len(sources))
	for name := range sources {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if _, err := t.New(name).Parse(sources[name]); err != nil {
			return "", "", fmt.Errorf("parse error in %s", err)
		}
	}
	var out strings.Builder
	notes := ""
	notesName := path.Join(chartName, "templates", "NOTES.txt")
	for _, name := range names {
		if strings.HasPrefix(path.Base(name), "_") {
			continue
		}
		vals := copyTop(top, name)
		var buf bytes.Buffer
		if err := t.ExecuteTemplate(&buf, name, vals); err != nil {
			return "", "", cleanupExecError(name, err)
		}
		text := strings.ReplaceAll(buf.String(), "<no value>", "")
		if name == notesName {
			notes = text
			continue
		}
		if strings.TrimSpace(text) == "" {
			continue
		}
		if err := checkYAML(name, text); err != nil {
			return "", "", err
		}
		fmt.Fprintf(&out, "---\n# Source: %s\n%s\n", name, strings.TrimRight(text, "\n"))
	}
	return out.String(), notes, nil
}

func copyTop(top map[string]interface{}, name string) map[string]interface{} {
	out := map[string]interface{}{}
	for k, v := range top {
		out[k] = v
	}
	out["Template"] = map[string]interface{}{"Name": name, "BasePath": path.Dir(name)}
	return out
}

var docSeparator = regexp.MustCompile(`(?m)^---[ \t]*$`)

// checkYAML parses every document of a rendered file, as helm does before it installs.
func checkYAML(name, text string) error {
	for _, doc := range docSeparator.Split(text, -1) {
		var obj map[string]interface{}
		if err := yaml.Unmarshal([]byte(doc), &obj); err != nil {
			return fmt.Errorf("YAML parse error on %s: %w", name, err)
		}
	}
	return nil
}

var execErrorPattern = regexp.MustCompile(`^template: (.*?): executing "(.*?)" at <(.*?)>: ` +
	`error calling (?:fail|required): (?s)(.*)$`)

// cleanupExecError prints `fail` / `required` as helm does: "execution error at (file:l:c): msg".
func cleanupExecError(name string, err error) error {
	if m := execErrorPattern.FindStringSubmatch(err.Error()); m != nil {
		return fmt.Errorf("execution error at (%s): %s", m[1], m[4])
	}
	return fmt.Errorf("rendering %s: %w", name, err)
}

const recursionMaxNums = 1000

func funcMap(t *template.Template) template.FuncMap {
	f := sprig.TxtFuncMap()
	delete(f, "env")
	delete(f, "expandenv")
	included := map[string]int{}
	f["include"] = func(name string, data interface{}) (string, error) {
		if included[name] > recursionMaxNums {
			return "", fmt.Errorf("rendering template has a nested reference name: %s", name)
		}
		included[name]++
		defer func() { included[name]-- }()
		var buf strings.Builder
		if err := t.ExecuteTemplate(&buf, name, data); err != nil {
			return "", err
		}
		return buf.String(), nil
	}
	f["tpl"] = func(text string, data interface{}) (string, error) {
		clone, err := t.Clone()
		if err != nil {
			return "", err
		}
		inner, err := clone.New("tpl").Parse(text)
		if err != nil {
			return "", fmt.Errorf("cannot parse template %q: %w", text, err)
		}
		var buf strings.Builder
		if err := inner.Execute(&buf, data); err != nil {
			return "", fmt.Errorf("error during tpl function execution for %q: %w", text, err)
		}
		return strings.ReplaceAll(buf.String(), "<no value>", ""), nil
	}
	f["required"] = func(msg string, v interface{}) (interface{}, error) {
		if v == nil {
			return v, errors.New(msg)
		}
		if s, ok := v.(string); ok && s == "" {
			return v, errors.New(msg)
		}
		return v, nil
	}
	f["toYaml"] = func(v interface{}) string {
		data, err := yaml.Marshal(v)
		if err != nil {
			return ""
		}
		return strings.TrimSuffix(string(data), "\n")
	}
	f["fromYaml"] = func(s string) map[string]interface{} {
		m := map[string]interface{}{}
		if err := yaml.Unmarshal([]byte(s), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	f["fromYamlArray"] = func(s string) []interface{} {
		a := []interface{}{}
		if err := yaml.Unmarshal([]byte(s), &a); err != nil {
			a = []interface{}{err.Error()}
		}
		return a
	}
	f["toJson"] = func(v interface{}) string {
		data, err := json.Marshal(v)
		if err != nil {
			return ""
		}
		return string(data)
	}
	f["fromJson"] = func(s string) map[string]interface{} {
		m := map[string]interface{}{}
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	f["fromJsonArray"] = func(s string) []interface{} {
		a := []interface{}{}
		if err := json.Unmarshal([]byte(s), &a); err != nil {
			a = []interface{}{err.Error()}
		}
		return a
	}
	f["toToml"] = func(interface{}) (string, error) {
		return "", errors.New("toToml is not supported by helm-render")
	}
	// `helm template` has no cluster: lookup finds nothing.
	f["lookup"] = func(string, string, string, string) (map[string]interface{}, error) {
		return map[string]interface{}{}, nil
	}
	return f
}
