package rdw

import (
	"encoding/json"
	"testing"
)

func TestAppendJSONString(t *testing.T) {
	for _, s := range []string{"", "OPEL", `a"b\c`, "tab\there\nnew\r\x01\x1f", "’s-Gravenhage é"} {
		var back string
		b := appendJSONString(nil, s)
		if err := json.Unmarshal(b, &back); err != nil || back != s {
			t.Errorf("%q encoded as %s, decoded as %q (%v)", s, b, back, err)
		}
	}
}
