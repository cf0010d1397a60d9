// Package playground serves GraphiQL from assets embedded in the binary, so
// the playground works on a machine without internet access.
package playground

import (
	"embed"
	"html/template"
	"io/fs"
	"net/http"
)

//go:embed assets
var assets embed.FS

var page = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{.Title}}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="{{.Assets}}/graphiql.min.css">
<style>body{margin:0;height:100vh}#graphiql{height:100vh}</style>
</head>
<body>
<div id="graphiql">Loading the playground…</div>
<script src="{{.Assets}}/react.production.min.js"></script>
<script src="{{.Assets}}/react-dom.production.min.js"></script>
<script src="{{.Assets}}/graphiql.min.js"></script>
<script>
  const headers = {{.Headers}};
  const editorHeaders = Object.assign({}, headers, {{.EditorHeaders}});
  const fetcher = GraphiQL.createFetcher({ url: {{.Endpoint}}, headers: headers });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: {{.Query}},
      defaultHeaders: JSON.stringify(editorHeaders, null, 2),
      // Each page load carries a fresh token; a persisted one would expire.
      shouldPersistHeaders: false,
    })
  );
</script>
</body>
</html>
`))

// Options configure the playground page.
type Options struct {
	// Title of the page.
	Title string
	// Endpoint is the GraphQL endpoint's path, e.g. "/graphql".
	Endpoint string
	// AssetsPath is where Assets is mounted, e.g. "/playground/assets".
	AssetsPath string
	// Headers are sent with every request, e.g. a development token.
	Headers map[string]string
	// EditorHeaders are put in the header editor for the user to complete,
	// e.g. a placeholder where a token belongs.
	EditorHeaders map[string]string
	// Query is shown when the playground opens.
	Query string
}

// Handler serves the playground page.
func Handler(o Options) http.Handler {
	if o.Headers == nil {
		o.Headers = map[string]string{}
	}
	if o.EditorHeaders == nil {
		o.EditorHeaders = map[string]string{}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		page.Execute(w, struct {
			Title, Endpoint, Assets, Query string
			Headers, EditorHeaders         map[string]string
		}{o.Title, o.Endpoint, o.AssetsPath, o.Query, o.Headers, o.EditorHeaders})
	})
}

// Assets serves the embedded GraphiQL, React and stylesheet files.
func Assets() http.Handler {
	sub, err := fs.Sub(assets, "assets")
	if err != nil {
		panic(err) // the embed directive guarantees the folder
	}
	return http.FileServerFS(sub)
}
