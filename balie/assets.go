package balie

import (
	"embed"
	"encoding/json"
	"io/fs"
	"net/http"
)

// The built assets (see web/build.mjs): the stylesheet with the NL Design
// System tokens and components, the fonts, the script, their licences and
// the manifest of what they were built from.
//
//go:embed assets
var assetFiles embed.FS

// manifest is assets/manifest.json: the SHA-256 of every source and
// output of the build.
type manifest struct {
	Sources map[string]string `json:"sources"`
	Outputs map[string]string `json:"outputs"`
}

func readManifest() (manifest, error) {
	var m manifest
	b, err := assetFiles.ReadFile("assets/manifest.json")
	if err != nil {
		return m, err
	}
	return m, json.Unmarshal(b, &m)
}

// assetVersions maps an asset's name to a short hash of its content, so a
// changed asset gets a new URL and the old one may be cached for good.
var assetVersions = func() map[string]string {
	m, err := readManifest()
	if err != nil {
		panic("balie: assets/manifest.json: " + err.Error()) // the build always writes it
	}
	v := map[string]string{}
	for name, sum := range m.Outputs {
		v[name] = sum[:12]
	}
	return v
}()

// assetURL is the versioned URL of an asset, e.g. "balie.css".
func assetURL(name string) string {
	return BasePath + "assets/" + name + "?v=" + assetVersions["assets/"+name]
}

func assetHandler() http.Handler {
	sub, _ := fs.Sub(assetFiles, "assets") // the directory is embedded
	files := http.FileServerFS(sub)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "manifest.json" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		files.ServeHTTP(w, r)
	})
}
