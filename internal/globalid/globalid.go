// Package globalid makes and reads the global ids of the objects the hub
// stores, as Relay's object identification has them: base64url of the
// object's type and its key in the store. They are opaque to clients, and
// one id names one object wherever the hub names it: in the graph's
// answers and in the notifications chain partners receive.
package globalid

import (
	"encoding/base64"
	"strings"
)

// The types of the objects with a global id, as the graph names them.
const (
	Case        = "Case"
	Task        = "Task"
	Handover    = "Handover"
	AuditRecord = "AuditRecord"
)

// New returns the global id of the object of typ with a key in the store.
func New(typ, key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(typ + ":" + key))
}

// Parse returns the type and the key a global id names; ok is false for
// anything that is not a global id.
func Parse(id string) (typ, key string, ok bool) {
	b, err := base64.RawURLEncoding.DecodeString(id)
	if err != nil {
		return "", "", false
	}
	typ, key, ok = strings.Cut(string(b), ":")
	return typ, key, ok && typ != "" && key != ""
}
