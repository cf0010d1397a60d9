package nhr

import "math"

// rdToWGS84 converts Rijksdriehoek coordinates (EPSG:28992) to WGS84
// latitude and longitude with the polynomial approximation of
// Schreutelkamp and Strang van Hees, accurate to about a metre inside the
// Netherlands; that is good enough for the gpsLatitude and gpsLongitude a
// map pin needs, and saves a projection library.
func rdToWGS84(x, y float64) (lat, lon float64) {
	const (
		x0, y0     = 155000.0, 463000.0
		phi0, lam0 = 52.15517440, 5.38720621
	)
	dx := (x - x0) * 1e-5
	dy := (y - y0) * 1e-5
	p := math.Pow
	sumN := 3235.65389*dy +
		-32.58297*p(dx, 2) +
		-0.2475*p(dy, 2) +
		-0.84978*p(dx, 2)*dy +
		-0.0655*p(dy, 3) +
		-0.01709*p(dx, 2)*p(dy, 2) +
		-0.00738*dx +
		0.0053*p(dx, 4) +
		-0.00039*p(dx, 2)*p(dy, 3) +
		0.00033*p(dx, 4)*dy +
		-0.00012*dx*dy
	sumE := 5260.52916*dx +
		105.94684*dx*dy +
		2.45656*dx*p(dy, 2) +
		-0.81885*p(dx, 3) +
		0.05594*dx*p(dy, 3) +
		-0.05607*p(dx, 3)*dy +
		0.01199*dy +
		-0.00256*p(dx, 3)*p(dy, 2) +
		0.00128*dx*p(dy, 4) +
		0.00022*p(dy, 2) +
		-0.00022*p(dx, 2) +
		0.00026*p(dx, 5)
	lat = phi0 + sumN/3600
	lon = lam0 + sumE/3600
	// Eight decimals are about a millimetre; more only suggests precision.
	return math.Round(lat*1e8) / 1e8, math.Round(lon*1e8) / 1e8
}
