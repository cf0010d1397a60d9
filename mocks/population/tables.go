package population

// The tables below are synthetic-data vocabularies. Municipality codes and
// names are real (CBS); woonplaats codes, postcode ranges and coordinates are
// plausible values for those municipalities, not authoritative ones.

type municipalitySeed struct {
	code, name, placeID, placeName string
	pcFrom, pcTo                   int     // postcode digit range
	x, y                           float64 // RD centre
	weight                         int     // share of households
}

var municipalitySeeds = []municipalitySeed{
	{"0363", "Amsterdam", "3594", "Amsterdam", 1011, 1109, 121500, 487000, 30},
	{"0599", "Rotterdam", "3086", "Rotterdam", 3011, 3089, 92500, 437500, 22},
	{"0518", "'s-Gravenhage", "1245", "'s-Gravenhage", 2491, 2599, 81000, 455000, 18},
	{"0344", "Utrecht", "3295", "Utrecht", 3511, 3585, 136500, 456000, 12},
	{"0014", "Groningen", "3071", "Groningen", 9711, 9747, 233500, 582000, 8},
	{"0193", "Zwolle", "1155", "Zwolle", 8011, 8043, 203000, 502500, 6},
	{"0088", "Schiermonnikoog", "2616", "Schiermonnikoog", 9166, 9166, 201500, 608500, 1},
	{"0096", "Vlieland", "2599", "Vlieland", 8899, 8899, 128500, 589500, 1},
}

var maleNames = []string{
	"Jan", "Pieter", "Hendrik", "Willem", "Johannes", "Cornelis", "Gerrit", "Jacob", "Dirk", "Klaas",
	"Bram", "Daan", "Sem", "Lucas", "Levi", "Finn", "Luuk", "Noah", "Milan", "Jesse",
	"Thijs", "Ruben", "Sander", "Bas", "Tim", "Joost", "Maarten", "Frank", "Erik", "Marco",
	"Mohamed", "Youssef", "Mehmet", "Ahmet", "Kevin", "Dennis", "Stefan", "Wouter", "Gijs", "Teun",
}

var femaleNames = []string{
	"Maria", "Johanna", "Anna", "Cornelia", "Wilhelmina", "Elisabeth", "Catharina", "Hendrika", "Geertruida", "Aaltje",
	"Emma", "Julia", "Sophie", "Tess", "Zoë", "Mila", "Sara", "Lotte", "Eva", "Fleur",
	"Anouk", "Sanne", "Lisa", "Iris", "Femke", "Marloes", "Ingrid", "Petra", "Monique", "Linda",
	"Fatima", "Aisha", "Elif", "Yasmina", "Ilse", "Esther", "Karin", "Mirjam", "Noor", "Roos",
}

type surnameSeed struct{ prefix, name string }

var surnames = []surnameSeed{
	{"de", "Jong"}, {"", "Jansen"}, {"de", "Vries"}, {"van den", "Berg"}, {"van", "Dijk"}, {"", "Bakker"},
	{"", "Janssen"}, {"", "Visser"}, {"", "Smit"}, {"", "Meijer"}, {"de", "Boer"}, {"", "Mulder"},
	{"de", "Groot"}, {"", "Bos"}, {"", "Vos"}, {"", "Peters"}, {"", "Hendriks"}, {"van", "Leeuwen"},
	{"", "Dekker"}, {"", "Brouwer"}, {"de", "Wit"}, {"", "Dijkstra"}, {"", "Smits"}, {"de", "Graaf"},
	{"van der", "Meer"}, {"van der", "Linden"}, {"", "Kok"}, {"", "Jacobs"}, {"de", "Haan"}, {"", "Vermeulen"},
	{"van den", "Heuvel"}, {"van der", "Veen"}, {"van den", "Broek"}, {"de", "Bruijn"}, {"de", "Bruin"}, {"van der", "Heijden"},
	{"", "Schouten"}, {"van", "Beek"}, {"", "Willems"}, {"van", "Vliet"}, {"van de", "Ven"}, {"", "Hoekstra"},
	{"", "Maas"}, {"", "Verhoeven"}, {"", "Koster"}, {"van", "Dam"}, {"van der", "Wal"}, {"", "Prins"},
	{"", "Blom"}, {"", "Huisman"}, {"", "Yilmaz"}, {"", "El Amrani"}, {"", "Öztürk"}, {"", "Postma"},
	{"", "Kuipers"}, {"van", "Wijk"}, {"", "Bosman"}, {"", "Kramer"}, {"van", "Rijn"}, {"ter", "Horst"},
}

var streetStems = []string{
	"Kerk", "Molen", "Dorps", "School", "Stations", "Beuken", "Eiken", "Linden", "Rozen", "Tulpen",
	"Vondel", "Rembrandt", "Vermeer", "Spinoza", "Erasmus", "Thorbecke", "Oranje", "Nassau", "Wilhelmina", "Juliana",
	"Beatrix", "Prins Hendrik", "Hoog", "Nieuwe", "Oude", "Zuider", "Noorder", "Ooster", "Wester", "Haven",
	"Markt", "Brink", "Esdoorn", "Kastanje", "Populieren", "Wilgen", "Berken", "Lindeboom", "Zonnebloem", "Lelie",
	"Merel", "Lijster", "Spreeuwen", "Zwaluw", "Meeuwen", "Reiger", "Valk", "Dotter", "Klaver", "Boterbloem",
	"Heren", "Keizers", "Prinsen", "Koning", "Burgemeester de Vries", "Dokter Schaepman", "Pastoor van Ars", "Admiraal de Ruijter", "Piet Hein", "Johan de Witt",
}

var streetSuffixes = []string{"straat", "laan", "weg", "plein", "kade", "singel", "dijk", "hof", "gracht", "pad"}

type sbi struct{ code, desc, trade string }

var sbiTable = []sbi{
	{"1071", "Vervaardiging van brood en vers banketbakkerswerk", "Bakkerij"},
	{"4120", "Algemene burgerlijke en utiliteitsbouw", "Bouwbedrijf"},
	{"4321", "Elektrotechnische bouwinstallatie", "Elektrotechniek"},
	{"4322", "Loodgieters- en fitterswerk; installatie van sanitair en van centrale verwarmings- en airconditioninginstallaties", "Installatietechniek"},
	{"4520", "Reparatie en onderhoud van personenauto's en lichte bedrijfsauto's", "Autoservice"},
	{"4711", "Supermarkten en dergelijke winkels met een algemeen assortiment voedings- en genotmiddelen", "Supermarkt"},
	{"4778", "Winkels in overige artikelen", "Winkel"},
	{"4941", "Goederenvervoer over de weg (geen verhuizingen)", "Transport"},
	{"5610", "Restaurants, cafetaria's, lunchrooms, snackbars en ijssalons", "Eetcafé"},
	{"6201", "Ontwikkelen, produceren en uitgeven van software", "Software"},
	{"6202", "Advisering op het gebied van informatietechnologie", "IT Advies"},
	{"6920", "Accountancy, belastingadvisering en administratie", "Administratiekantoor"},
	{"7022", "Organisatie-adviesbureaus", "Advies"},
	{"7111", "Architecten", "Architectenbureau"},
	{"7410", "Industrieel ontwerp en vormgeving", "Ontwerpstudio"},
	{"8121", "Interieurreiniging van gebouwen", "Schoonmaak"},
	{"8559", "Overig onderwijs", "Opleidingen"},
	{"8690", "Overige gezondheidszorg", "Praktijk"},
	{"8810", "Maatschappelijke dienstverlening zonder huisvesting gericht op ouderen en gehandicapten", "Thuiszorg"},
	{"9001", "Beoefening van podiumkunst", "Theater"},
	{"9602", "Kappers en schoonheidsverzorging", "Kapsalon"},
}

type vehicleModel struct {
	kind, make, tradeName, body, fuel string
	seats, doors, mass, price         int
}

var personCars = []vehicleModel{
	{"Personenauto", "VOLKSWAGEN", "GOLF", "hatchback", "Benzine", 5, 5, 1250, 32000},
	{"Personenauto", "VOLKSWAGEN", "POLO", "hatchback", "Benzine", 5, 5, 1080, 24000},
	{"Personenauto", "OPEL", "CORSA", "hatchback", "Benzine", 5, 5, 1050, 21000},
	{"Personenauto", "KIA", "NIRO", "stationwagen", "Elektriciteit", 5, 5, 1680, 41000},
	{"Personenauto", "TOYOTA", "YARIS", "hatchback", "Benzine", 5, 5, 1040, 23000},
	{"Personenauto", "PEUGEOT", "208", "hatchback", "Benzine", 5, 5, 1060, 25000},
	{"Personenauto", "RENAULT", "CLIO", "hatchback", "Benzine", 5, 5, 1070, 22000},
	{"Personenauto", "TESLA", "MODEL 3", "sedan", "Elektriciteit", 5, 4, 1760, 48000},
	{"Personenauto", "SKODA", "OCTAVIA", "stationwagen", "Benzine", 5, 5, 1300, 34000},
	{"Personenauto", "VOLVO", "V60", "stationwagen", "Diesel", 5, 5, 1650, 52000},
	{"Personenauto", "FORD", "FIESTA", "hatchback", "Benzine", 5, 3, 1010, 19000},
	{"Personenauto", "FIAT", "500", "hatchback", "Benzine", 4, 3, 900, 17000},
}

var motorcycles = []vehicleModel{
	{"Motorfiets", "YAMAHA", "MT-07", "", "Benzine", 2, 0, 184, 8500},
	{"Motorfiets", "HONDA", "CB500F", "", "Benzine", 2, 0, 189, 7200},
	{"Motorfiets", "BMW", "R 1250 GS", "", "Benzine", 2, 0, 249, 21000},
}

var companyVehicles = []vehicleModel{
	{"Bedrijfsauto", "VOLKSWAGEN", "TRANSPORTER", "gesloten opbouw", "Diesel", 3, 4, 1950, 42000},
	{"Bedrijfsauto", "FORD", "TRANSIT CUSTOM", "gesloten opbouw", "Diesel", 3, 4, 2010, 39000},
	{"Bedrijfsauto", "RENAULT", "KANGOO", "gesloten opbouw", "Elektriciteit", 2, 4, 1500, 33000},
	{"Personenauto", "BMW", "5ER REIHE", "sedan", "Benzine", 5, 4, 1720, 68000},
	{"Personenauto", "SKODA", "ENYAQ", "stationwagen", "Elektriciteit", 5, 5, 2090, 51000},
}

var colours = []string{"GRIJS", "ZWART", "WIT", "BLAUW", "ROOD", "GROEN", "BRUIN", "GEEL"}

// origin is where a family comes from: the BRP codes of its country
// (Landen, table 34) and nationality (Nationaliteiten, table 32), places of
// birth there, and how often a clan of the population has it.
type origin struct {
	country, nationality string
	places               []string
	// perMille is the share of clans with this origin.
	perMille int
	// naturalised is the share in per cent of those born abroad who also
	// hold Dutch nationality; kept is the share of their children born
	// here who keep the origin's nationality beside the Dutch one.
	naturalised, kept int
}

// landNederland and nationaliteitNederlandse are the BRP codes of the
// Netherlands and of Dutch nationality.
const (
	landNederland            = "6030"
	nationaliteitNederlandse = "0001"
)

// origins roughly follow the Dutch population by country of birth and
// nationality: most clans are Dutch; the others come from the countries
// most people here were born in or hold the nationality of.
var origins = []origin{
	{country: landNederland, nationality: nationaliteitNederlandse, perMille: 840},
	{"6043", "0339", []string{"Ankara", "Istanbul", "Konya", "Kayseri", "Izmir"}, 30, 60, 80},        // Turkije
	{"5022", "0131", []string{"Nador", "Casablanca", "Tanger", "Al Hoceima", "Berkane"}, 25, 60, 90}, // Marokko
	{"7028", "0072", []string{"Warszawa", "Kraków", "Wrocław", "Poznań", "Gdańsk"}, 20, 5, 50},       // Polen
	{"5007", "0263", []string{"Paramaribo", "Nieuw Nickerie", "Moengo"}, 18, 90, 10},                 // Suriname
	{"9089", "0055", []string{"Berlin", "Hamburg", "Köln", "Düsseldorf", "München"}, 12, 15, 60},     // Bondsrepubliek Duitsland
	{"7009", "0336", []string{"Damascus", "Aleppo", "Homs"}, 10, 40, 90},                             // Syrië
	{"5010", "0052", []string{"Antwerpen", "Gent", "Brussel", "Luik", "Brugge"}, 8, 15, 60},          // België
	{"6038", "0034", []string{"Kyiv", "Charkiv", "Odesa", "Lviv"}, 7, 2, 90},                         // Oekraïne
	{"7046", "0312", []string{"Bangalore", "Chennai", "Mumbai", "Hyderabad"}, 6, 5, 20},              // India
	{"7047", "0074", []string{"Boekarest", "Cluj-Napoca", "Timisoara"}, 5, 5, 50},                    // Roemenië
	{"7024", "0053", []string{"Sofia", "Plovdiv", "Varna"}, 5, 5, 50},                                // Bulgarije
	{"7044", "0064", []string{"Rome", "Milaan", "Napels", "Turijn"}, 4, 10, 60},                      // Italië
	{"6037", "0077", []string{"Madrid", "Barcelona", "Valencia", "Sevilla"}, 4, 10, 60},              // Spanje
	{"6039", "0060", []string{"Londen", "Manchester", "Birmingham"}, 3, 10, 60},                      // Groot-Brittannië
	{"6022", "0307", []string{"Beijing", "Shanghai", "Guangzhou"}, 3, 10, 30},                        // China
}

// Origin is a country of birth and its nationality as BRP codes.
type Origin struct {
	Country     string // BRP land code
	Nationality string // BRP nationaliteit code
}

// Origins lists the countries and nationalities the generator gives
// persons, so a registry mock can check it knows every code.
func Origins() []Origin {
	out := make([]Origin, len(origins))
	for i, o := range origins {
		out[i] = Origin{Country: o.country, Nationality: o.nationality}
	}
	return out
}
