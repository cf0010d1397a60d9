package businesscase

import (
	"math"
	"strconv"
	"strings"
)

// groupThousands writes a non-negative integer with commas between groups
// of three digits.
func groupThousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	lead := len(s) % 3
	if lead > 0 {
		b.WriteString(s[:lead])
	}
	for i := lead; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// WholeEuros formats the amount as whole euros with thousands separators,
// without the euro sign, rounding half away from zero, for tables where
// cents are noise.
func (c Cents) WholeEuros() string {
	neg := c < 0
	if neg {
		c = -c
	}
	s := groupThousands(int64((c + 50) / 100))
	if neg && s != "0" {
		return "-" + s
	}
	return s
}

// compactEuros formats cents as "€1.2M", "€350k" or "€900", for chart
// labels.
func compactEuros(c Cents) string {
	v := c.Euros()
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	switch {
	case v >= 999_500: // from here "€1000k" would show; write "€1M"
		return sign + "€" + trimZero(strconv.FormatFloat(math.Round(v/1e5)/10, 'f', 1, 64)) + "M"
	case v >= 1e3:
		return sign + "€" + strconv.FormatFloat(math.Round(v/1e3), 'f', 0, 64) + "k"
	}
	return sign + "€" + strconv.FormatFloat(math.Round(v), 'f', 0, 64)
}

func trimZero(s string) string { return strings.TrimSuffix(s, ".0") }

// FormatCount formats a count with thousands separators, with one decimal
// below 100 where rounding to whole events would hide small municipalities.
func FormatCount(v float64) string {
	if math.Abs(v) < 100 && v != math.Trunc(v) {
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	r := math.Round(v)
	if r < 0 {
		return "-" + groupThousands(int64(-r))
	}
	return groupThousands(int64(r))
}

// FormatPercent formats a fraction as a percentage, "2.25 %".
func FormatPercent(f float64) string {
	return strconv.FormatFloat(f*100, 'f', -1, 64) + " %"
}
