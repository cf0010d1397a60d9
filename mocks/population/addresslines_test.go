package population

import "testing"

func TestAddressLines(t *testing.T) {
	// The scenarios of the BAG's adresregels.feature and the BRP's
	// adressering examples.
	tests := []struct {
		korteNaam, letter, addition, postcode, place string
		number                                       int
		street, placeLine                            string
	}{
		{"A K vd Coppellostr", "", "", "6049HD", "Herten", 8, "A K vd Coppellostr 8", "6049 HD  HERTEN"},
		{"Blauwkapelseweg", "A", "", "3572KA", "Utrecht", 1, "Blauwkapelseweg 1 A", "3572 KA  UTRECHT"},
		{"Burg v N v Sevenaerstr", "", "BEN", "1251KD", "Laren", 1, "Burg v N v Sevenaerstr 1 BEN", "1251 KD  LAREN"},
		{"Bornsesteeg", "", "5A3", "6708GA", "Wageningen", 1, "Bornsesteeg 1-5A3", "6708 GA  WAGENINGEN"},
		{"Defensieweg", "D", "K", "7933TL", "Pesse", 16, "Defensieweg 16 DK", "7933 TL  PESSE"},
		{"Belgiëlaan", "A", "3", "2391PH", "Hazerswoude-Dorp", 1, "Belgiëlaan 1 A3", "2391 PH  HAZERSWOUDE-DORP"},
		{"Zorgvlietstraat", "T", "", "", "'s-Gravenhage", 4, "Zorgvlietstraat 4 T", "'S-GRAVENHAGE"},
		{"Dorpsstraat", "c", "", "2631CR", "Nootdorp", 15, "Dorpsstraat 15 c", "2631 CR  NOOTDORP"},
		{"Atatürkstraat", "", "2", "2583XL", "Scheveningen", 9, "Atatürkstraat 9-2", "2583 XL  SCHEVENINGEN"},
		{"St. Jacobsstraat", "L", "Toe", "2583XL", "Scheveningen", 400, "St. Jacobsstraat 400 LToe", "2583 XL  SCHEVENINGEN"},
		{"Borgesiusstraat", "c", "", "2583XL", "Scheveningen", 103, "Borgesiusstraat 103 c", "2583 XL  SCHEVENINGEN"},
	}
	for _, tt := range tests {
		if got := StreetLine(tt.korteNaam, tt.number, tt.letter, tt.addition); got != tt.street {
			t.Errorf("StreetLine = %q, want %q", got, tt.street)
		}
		if got := PlaceLine(tt.postcode, tt.place); got != tt.placeLine {
			t.Errorf("PlaceLine = %q, want %q", got, tt.placeLine)
		}
	}
}
