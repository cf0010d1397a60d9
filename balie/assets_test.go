package balie

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestBundleMatchesSources checks that the committed assets were built
// from the committed sources: web/build.mjs records the SHA-256 of both
// in assets/manifest.json. After a change under web/, run
// `npm ci && npm run build` in balie/web.
func TestBundleMatchesSources(t *testing.T) {
	m, err := readManifest()
	if err != nil {
		t.Fatal(err)
	}
	sources, err := filepath.Glob("web/src/*")
	if err != nil {
		t.Fatal(err)
	}
	sources = append(sources, "web/build.mjs", "web/package.json", "web/package-lock.json")
	if len(sources) != len(m.Sources) {
		t.Errorf("web/ has %d sources, the manifest %d: rebuild the assets (npm run build in balie/web)", len(sources), len(m.Sources))
	}
	for _, p := range sources {
		if got, want := fileSum(t, p), m.Sources[filepath.ToSlash(p)]; got != want {
			t.Errorf("%s changed since the assets were built: run `npm ci && npm run build` in balie/web", p)
		}
	}
	outputs := 0
	err = fs.WalkDir(assetFiles, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == "assets/manifest.json" {
			return err
		}
		outputs++
		b, _ := assetFiles.ReadFile(p)
		if got, want := sum(b), m.Outputs[p]; got != want {
			t.Errorf("%s is not what the build wrote: rebuild it, never edit it by hand", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fileSum(t, "testdata/axe.min.js"), m.Outputs["testdata/axe.min.js"]; got != want {
		t.Error("testdata/axe.min.js is not the axe-core of web/package-lock.json: rebuild")
	}
	if outputs+1 != len(m.Outputs) {
		t.Errorf("assets/ holds %d files, the manifest lists %d outputs", outputs+1, len(m.Outputs))
	}
}

// maxAssetBytes bounds what a browser downloads for the console, every
// asset gzip-compressed as the hub may send it.
const maxAssetBytes = 300 << 10

func TestAssetsStaySmall(t *testing.T) {
	total := 0
	err := fs.WalkDir(assetFiles, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == "assets/manifest.json" {
			return err
		}
		b, _ := assetFiles.ReadFile(p)
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(b)
		zw.Close()
		t.Logf("%-50s %7d bytes, %6d compressed", p, len(b), buf.Len())
		total += buf.Len()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("all assets: %d bytes compressed (limit %d)", total, maxAssetBytes)
	if total > maxAssetBytes {
		t.Errorf("the console's assets are %d bytes compressed, over the limit of %d", total, maxAssetBytes)
	}
}

func fileSum(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return sum(b)
}

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
