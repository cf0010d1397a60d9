package population

// VehicleIndex returns the position in Vehicles of the vehicle with the
// plate. The RDW mock lists vehicles in this order, the way a dataset
// without an explicit ordering lists its rows in storage order, so that
// answers do not depend on the order of the plates asked for.
func (p *Population) VehicleIndex(plate string) (int, bool) {
	i, ok := p.idx.vehicle[plate]
	return i, ok
}
