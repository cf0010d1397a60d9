package population

import (
	"sort"
	"strings"
)

// plateSeries is a series (sidecode) of licence plates as the RDW issues
// them to passenger cars: the layout of letters (L) and digits (D) without
// dashes, and the day its issue began.
type plateSeries struct {
	sidecode int
	layout   string
	from     Date
}

// carSeries are the passenger-car series from sidecode 4 on, by the day
// the RDW began each; a plate belongs to the series in issue on the day of
// the vehicle's first registration in the Netherlands.
var carSeries = []plateSeries{
	{4, "LLDDLL", "19780925"},  // XX-99-XX
	{5, "LLLLDD", "19910903"},  // XX-XX-99
	{6, "DDLLLL", "20000120"},  // 99-XX-XX
	{7, "DDLLLD", "20080519"},  // 99-XXX-9
	{8, "DLLLDD", "20130305"},  // 9-XXX-99
	{9, "LLDDDL", "20150330"},  // XX-999-X
	{10, "LDDDLL", "20190819"}, // X-999-XX
	{11, "LLLDDL", "20240604"}, // XXX-99-X
}

// plateLetters are the consonants of passenger-car plates: no vowels, and
// no C or Q, which read as a zero. Since sidecode 11 a plate does not start
// with L or T.
const (
	plateLetters          = "GHJKLNPRSTXZ"
	plateFirstLettersFrom = "GHJKNPRSXZ"
)

// forbiddenPlateLetters are letter groups the RDW does not issue.
var forbiddenPlateLetters = []string{"GVD", "KKK", "NSB", "PKK", "PSV", "TBS", "SS", "SD", "PVV", "SGP", "VVD"}

// seriesOn returns the passenger-car series in issue on the day, sidecode 4
// for any day before it began.
func seriesOn(day Date) plateSeries {
	i := sort.Search(len(carSeries), func(i int) bool { return carSeries[i].from > day })
	return carSeries[max(0, i-1)]
}

// sidecodeOf returns the series of a plate (upper case, no dashes) by its
// layout of letters and digits, and 0 for a layout outside carSeries.
func sidecodeOf(plate string) int {
	var b strings.Builder
	for i := 0; i < len(plate); i++ {
		if plate[i] >= '0' && plate[i] <= '9' {
			b.WriteByte('D')
		} else {
			b.WriteByte('L')
		}
	}
	layout := b.String()
	for _, s := range carSeries {
		if s.layout == layout {
			return s.sidecode
		}
	}
	return 0
}

// plateCapacity bounds the serials: every layout with these letters holds
// at least 12³·10³ (10·12²·10² with the narrower first letter of
// sidecode 11) distinct plates.
const plateCapacity = 1_728_000

// assignPlates gives every vehicle a plate of the series in issue on its
// first registration. Each vehicle has a serial, its index scrambled by
// the seed; a serial maps to one plate per layout and layouts differ, so
// plates never repeat. A vehicle whose plate would hold a forbidden letter
// group takes a spare serial beyond the vehicles' own. The plate depends on
// the reference date only where that moves a first registration into
// another series.
func (p *Population) assignPlates() {
	offset := int(p.Seed % plateCapacity)
	serial := func(i int) int { return (i*7919 + offset) % plateCapacity } // 7919 is coprime to the capacity
	spare := len(p.Vehicles)
	for i := range p.Vehicles {
		v := &p.Vehicles[i]
		series := seriesOn(v.FirstRegistrationNL)
		plate, ok := formatPlate(series, serial(i))
		for !ok {
			plate, ok = formatPlate(series, serial(spare))
			spare++
		}
		v.Plate = plate
	}
}

// formatPlate writes the serial in the series' layout, as a mixed-radix
// number of letters and digits, and reports false for a forbidden letter
// group.
func formatPlate(s plateSeries, n int) (string, bool) {
	out := make([]byte, len(s.layout))
	for i := len(s.layout) - 1; i >= 0; i-- {
		alphabet := plateLetters
		switch {
		case s.layout[i] == 'D':
			alphabet = "0123456789"
		case i == 0 && s.sidecode >= 11:
			alphabet = plateFirstLettersFrom
		}
		out[i] = alphabet[n%len(alphabet)]
		n /= len(alphabet)
	}
	plate := string(out)
	return plate, allowedLetters(plate)
}

// allowedLetters reports whether no letter group of the plate holds a
// forbidden one.
func allowedLetters(plate string) bool {
	for _, group := range strings.FieldsFunc(plate, func(r rune) bool { return r >= '0' && r <= '9' }) {
		for _, f := range forbiddenPlateLetters {
			if strings.Contains(group, f) {
				return false
			}
		}
	}
	return true
}
