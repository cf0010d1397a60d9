package uwv

import (
	"bytes"
	"embed"
	"encoding/xml"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strings"

	"github.com/google/uuid"

	"github.com/poort-nl/poort/mocks/population"
)

// BasePath is the broker's SOAP root; each service is below it, as on the
// Suwinet broker (https://broker.prd.suwi.net/suwibroker/soap/…).
const BasePath = "/suwibroker/soap"

// The namespaces the messages use.
const (
	nsSOAP   = "http://schemas.xmlsoap.org/soap/envelope/"
	nsSOAP12 = "http://www.w3.org/2003/05/soap-envelope"
	nsWSA    = "http://www.w3.org/2005/08/addressing"
	nsWSSE   = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
	nsFWI    = "http://bkwi.nl/SuwiML/FWI/v0205"
	// The services' SuwiML namespaces.
	nsInkomsten               = "http://bkwi.nl/SuwiML/Diensten/UWVDossierInkomstenGSD/v0200"
	nsWerknemersverzekeringen = "http://bkwi.nl/SuwiML/Diensten/UWVDossierWerknemersverzekeringenGSD/v0200"
)

// maxBody bounds a request; one BSN and a period fit many times over.
const maxBody = 64 << 10

// The FWI codes of the mock's faults and refusals. BKWI's own code list is
// not public; these are the mock's, named for what they say.
const (
	// codeBericht: not a SOAP 1.1 message (content type, XML, envelope).
	codeBericht = "BerichtOngeldig"
	// codeAdressering: the WS-Addressing headers are missing or wrong.
	codeAdressering = "AdresseringOngeldig"
	// codeAanvraag: the body does not follow the service's BodyAction.xsd.
	codeAanvraag = "AanvraagOngeldig"
	// codePeriode: the period asked for is no period (an answer's FWI).
	codePeriode = "PeriodeOngeldig"
)

// bronDN names the mock as the source of its faults (FWI Bron).
const bronDN = "CN=UWV,OU=Suwinet mock,O=Poort"

// service is one Suwinet service with its one operation, as its WSDL
// defines it.
type service struct {
	name      string // the endpoint below BasePath, e.g. UWVDossierInkomstenGSD-v0200
	namespace string
	operation string // the request element; the answer is operation+"Response"
	// actionBase prefixes the WS-Addressing actions of the WSDL: input
	// actionBase+operation, output +"Response", fault +"Fout".
	actionBase string
	// period says whether the request may ask for a period
	// (PeriodeGegevensvraagIko).
	period bool
	wsdl   string // the service's WSDL in spec/
	answer func(s *server, q vraag) any
}

func (sv service) action(suffix string) string { return sv.actionBase + suffix }

//go:embed spec/*/Diensten/*/*/*.wsdl
var wsdls embed.FS

var services = []service{
	{
		name:       "UWVDossierInkomstenGSD-v0200",
		namespace:  nsInkomsten,
		operation:  "UWVPersoonsIkvInfo",
		actionBase: "http://bkwi.nl/SuwiML/Diensten/UWVDossierInkomstenGSD-v0200/",
		period:     true,
		wsdl:       "spec/UWVDossierInkomstenGSD-v0200-b02/Diensten/UWVDossierInkomstenGSD/v0200-b02/UWVDossierInkomstenGSD.wsdl",
		answer:     (*server).inkomsten,
	},
	{
		name:       "UWVDossierWerknemersverzekeringenGSD-v0200",
		namespace:  nsWerknemersverzekeringen,
		operation:  "UWVPersoonsWvInfo",
		actionBase: "http://bkwi.nl/SuwiML/Diensten/UWVDossierWerknemersverzekeringenGSD-v0200/",
		wsdl:       "spec/UWVDossierWerknemersverzekeringenGSD-v0200-b01/Diensten/UWVDossierWerknemersverzekeringenGSD/v0200-b01/UWVDossierWerknemersverzekeringenGSD.wsdl",
		answer:     (*server).werknemersverzekeringen,
	},
}

type server struct {
	pop *population.Population
}

// New returns the mock answering from the population. The handler is safe
// for concurrent use.
func New(pop *population.Population) http.Handler {
	return &server{pop: pop}
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sv, ok := serviceAt(r.URL.Path)
	if !ok {
		http.Error(w, "no such service", http.StatusNotFound)
		return
	}
	switch {
	case r.Method == http.MethodGet && r.URL.RawQuery == "wsdl":
		s.serveWSDL(w, sv)
	case r.Method != http.MethodPost:
		w.Header().Set("Allow", "POST")
		http.Error(w, "a SOAP service takes POST (or GET ?wsdl)", http.StatusMethodNotAllowed)
	default:
		s.serveSOAP(w, r, sv)
	}
}

func serviceAt(path string) (service, bool) {
	for _, sv := range services {
		if path == BasePath+"/"+sv.name {
			return sv, true
		}
	}
	return service{}, false
}

func (s *server) serveWSDL(w http.ResponseWriter, sv service) {
	b, err := wsdls.ReadFile(sv.wsdl)
	if err != nil {
		http.Error(w, "the WSDL is missing from the build", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	_, _ = w.Write(b)
}

// serveSOAP answers one SOAP 1.1 request, or faults it.
func (s *server) serveSOAP(w http.ResponseWriter, r *http.Request, sv service) {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "text/xml" {
		s.fault(w, http.StatusUnsupportedMediaType, sv, "", "Client", codeBericht,
			"Het bericht is geen SOAP 1.1-bericht.", "Content-Type moet text/xml zijn.")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		s.fault(w, http.StatusRequestEntityTooLarge, sv, "", "Client", codeBericht,
			"Het bericht is te groot.", fmt.Sprintf("Hoogstens %d bytes.", maxBody))
		return
	}
	q, f := parseRequest(body, sv)
	if f != nil {
		s.fault(w, http.StatusInternalServerError, sv, q.messageID, f.faultCode, f.code, f.tekst, f.details...)
		return
	}
	s.envelope(w, http.StatusOK, sv.action(sv.operation+"Response"), q.messageID, sv.answer(s, q))
}

// vraag is a request that follows the service's BodyAction.xsd.
type vraag struct {
	messageID string
	bsn       string
	// periode is PeriodeGegevensvraagIko, nil when not asked.
	periode *periode
}

// refusal is why a request is faulted.
type refusal struct {
	faultCode string // Client or VersionMismatch
	code      string // the FWI code
	tekst     string
	details   []string
}

func clientFault(code, tekst string, details ...string) *refusal {
	return &refusal{faultCode: "Client", code: code, tekst: tekst, details: details}
}

// The request's shape, loose enough to see every fault: the checks below
// are those of the WSDL (SOAP 1.1 document/literal, WS-Addressing
// required) and BodyAction.xsd.
type requestEnvelope struct {
	XMLName xml.Name
	Header  *struct {
		XMLName xml.Name
		Entries []leaf `xml:",any"`
	} `xml:"Header"`
	Body *struct {
		XMLName xml.Name
		Entries []requestBody `xml:",any"`
	} `xml:"Body"`
}

type leaf struct {
	XMLName xml.Name
	Text    string `xml:",chardata"`
}

type requestBody struct {
	XMLName  xml.Name
	Children []struct {
		XMLName  xml.Name
		Text     string `xml:",chardata"`
		Children []leaf `xml:",any"`
	} `xml:",any"`
}

var (
	nineDigits = regexp.MustCompile(`^[0-9]{9}$`)
	// datum is sml:Datum: yyyymmdd, with 00 for an unknown month or day.
	datum = regexp.MustCompile(`^(0{8}|0{4}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])|([1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])(0[0-9]|1[0-2])(0[0-9]|[12][0-9]|3[01]))$`)
)

// parseRequest checks the envelope, the WS-Addressing headers and the body.
// The message ID is returned as soon as it is known, so a fault can relate
// to it.
func parseRequest(data []byte, sv service) (vraag, *refusal) {
	var q vraag
	var env requestEnvelope
	if err := xml.Unmarshal(data, &env); err != nil {
		return q, clientFault(codeBericht, "Het bericht is geen well-formed XML.")
	}
	switch {
	case env.XMLName.Space == nsSOAP12:
		return q, &refusal{faultCode: "VersionMismatch", code: codeBericht, tekst: "Deze dienst spreekt SOAP 1.1."}
	case env.XMLName != xml.Name{Space: nsSOAP, Local: "Envelope"}:
		return q, clientFault(codeBericht, "Het bericht is geen SOAP 1.1-envelop.")
	case env.Header == nil || env.Header.XMLName.Space != nsSOAP:
		return q, clientFault(codeAdressering, "De SOAP-header met WS-Addressing ontbreekt.")
	case env.Body == nil || env.Body.XMLName.Space != nsSOAP:
		return q, clientFault(codeBericht, "De SOAP-body ontbreekt.")
	}
	var action string
	for _, h := range env.Header.Entries {
		switch h.XMLName.Space {
		case nsWSA:
			switch h.XMLName.Local {
			case "Action":
				action = strings.TrimSpace(h.Text)
			case "MessageID":
				q.messageID = strings.TrimSpace(h.Text)
			}
		case nsWSSE:
			// A signature is not checked (see the README).
		default:
			return q, clientFault(codeAdressering, "Eigen header-elementen zijn niet toegestaan.", h.XMLName.Local)
		}
	}
	switch {
	case q.messageID == "":
		return q, clientFault(codeAdressering, "wsa:MessageID ontbreekt.")
	case action != sv.action(sv.operation):
		return q, clientFault(codeAdressering, "wsa:Action hoort niet bij deze dienst.", "Verwacht: "+sv.action(sv.operation))
	}
	return parseBody(q, env.Body.Entries, sv)
}

// parseBody checks the body against BodyAction.xsd: one element
// smls:<operation> holding Burgerservicenr (nine digits) and, for the
// income service, an optional PeriodeGegevensvraagIko; its children are
// unqualified.
func parseBody(q vraag, entries []requestBody, sv service) (vraag, *refusal) {
	if len(entries) != 1 || entries[0].XMLName != (xml.Name{Space: sv.namespace, Local: sv.operation}) {
		return q, clientFault(codeAanvraag, "De body bevat niet precies één "+sv.operation+" van deze dienst.")
	}
	var bad []string
	for i, c := range entries[0].Children {
		switch {
		case c.XMLName.Space != "":
			bad = append(bad, c.XMLName.Local+": hoort ongekwalificeerd te zijn")
		case c.XMLName.Local == "Burgerservicenr" && i == 0:
			if !nineDigits.MatchString(c.Text) {
				bad = append(bad, "Burgerservicenr: negen cijfers")
			}
			q.bsn = c.Text
		case c.XMLName.Local == "PeriodeGegevensvraagIko" && sv.period && i == 1:
			q.periode = &periode{}
			for j, d := range c.Children {
				switch {
				case d.XMLName.Space == "" && d.XMLName.Local == "DatBPeriode" && j == 0:
					q.periode.DatBPeriode = d.Text
				case d.XMLName.Space == "" && d.XMLName.Local == "DatEPeriode" && j < 2 && q.periode.DatEPeriode == "":
					q.periode.DatEPeriode = d.Text
				default:
					bad = append(bad, "PeriodeGegevensvraagIko/"+d.XMLName.Local+": niet verwacht")
					continue
				}
				if !datum.MatchString(d.Text) {
					bad = append(bad, "PeriodeGegevensvraagIko/"+d.XMLName.Local+": geen sml:Datum")
				}
			}
		default:
			bad = append(bad, c.XMLName.Local+": niet verwacht")
		}
	}
	if q.bsn == "" && len(bad) == 0 {
		bad = append(bad, "Burgerservicenr: ontbreekt")
	}
	if len(bad) > 0 {
		return q, clientFault(codeAanvraag, "De aanvraag voldoet niet aan het berichtschema.", bad...)
	}
	return q, nil
}

// envelope writes a SOAP 1.1 answer with the WS-Addressing headers the
// transactiestandaard requires of a response: Action, MessageID and
// RelatesTo (the request's MessageID).
func (s *server) envelope(w http.ResponseWriter, status int, action, relatesTo string, content any) {
	payload, err := xml.Marshal(content)
	if err != nil {
		http.Error(w, "encoding the answer failed", http.StatusInternalServerError)
		return
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<soapenv:Envelope xmlns:soapenv="` + nsSOAP + `" xmlns:wsa="` + nsWSA + `"><soapenv:Header>`)
	writeElement(&b, "wsa:Action", action)
	writeElement(&b, "wsa:MessageID", "urn:uuid:"+uuid.NewString())
	if relatesTo != "" {
		writeElement(&b, "wsa:RelatesTo", relatesTo)
	}
	b.WriteString(`</soapenv:Header><soapenv:Body>`)
	b.Write(payload)
	b.WriteString(`</soapenv:Body></soapenv:Envelope>`)
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}

func writeElement(b *bytes.Buffer, name, text string) {
	b.WriteString("<" + name + ">")
	_ = xml.EscapeText(b, []byte(text))
	b.WriteString("</" + name + ">")
}

// soapFault is a SOAP 1.1 fault whose detail is the WSDL's AanvraagNietOk,
// an fwi:Fout.
type soapFault struct {
	XMLName     xml.Name `xml:"soapenv:Fault"`
	FaultCode   string   `xml:"faultcode"`
	FaultString string   `xml:"faultstring"`
	Detail      struct {
		Fout fout `xml:"fwi:Fout"`
	} `xml:"detail"`
}

// fault answers with a SOAP fault, HTTP 500 as SOAP 1.1 has it (or the
// status given for a message the service cannot read at all).
func (s *server) fault(w http.ResponseWriter, status int, sv service, relatesTo, faultCode, code, tekst string, details ...string) {
	f := soapFault{FaultCode: "soapenv:" + faultCode, FaultString: tekst}
	f.Detail.Fout = fout{Fwi: nsFWI, melding: melding{Code: code, Tekst: tekst, Detail: details}}
	f.Detail.Fout.Bron.DN = bronDN
	s.envelope(w, status, sv.action("Fout"), relatesTo, f)
}
