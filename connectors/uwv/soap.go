package uwv

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/connectors/httpclient"
)

// The SOAP 1.1 and WS-Addressing namespaces the Suwinet services use
// (SuwiML Transactiestandaard 4.0).
const (
	nsSOAP = "http://schemas.xmlsoap.org/soap/envelope/"
	nsWSA  = "http://www.w3.org/2005/08/addressing"
	nsFWI  = "http://bkwi.nl/SuwiML/FWI/v0205"
)

// soapContentType is SOAP 1.1's media type.
const soapContentType = "text/xml; charset=utf-8"

// service is one Suwinet service with its one operation, as its WSDL
// defines it.
type service struct {
	// path is the service's endpoint below the broker's SOAP root.
	path string
	// namespace is the service's SuwiML namespace; operation names the
	// request element, the response element is operation+"Response".
	namespace string
	operation string
	// action is the WS-Addressing action of the request (wsaw:Action of
	// the WSDL's input).
	action string
}

var (
	inkomsten = service{
		path:      "UWVDossierInkomstenGSD-v0200",
		namespace: "http://bkwi.nl/SuwiML/Diensten/UWVDossierInkomstenGSD/v0200",
		operation: "UWVPersoonsIkvInfo",
		action:    "http://bkwi.nl/SuwiML/Diensten/UWVDossierInkomstenGSD-v0200/UWVPersoonsIkvInfo",
	}
	werknemersverzekeringen = service{
		path:      "UWVDossierWerknemersverzekeringenGSD-v0200",
		namespace: "http://bkwi.nl/SuwiML/Diensten/UWVDossierWerknemersverzekeringenGSD/v0200",
		operation: "UWVPersoonsWvInfo",
		action:    "http://bkwi.nl/SuwiML/Diensten/UWVDossierWerknemersverzekeringenGSD-v0200/UWVPersoonsWvInfo",
	}
)

// request renders the SOAP envelope asking the service about one person:
// the WS-Addressing headers the transactiestandaard requires of a
// synchronous request (Action, MessageID, To) and the body with the BSN.
// It is written by hand because encoding/xml cannot leave the body's
// children unqualified (the schemas' elementFormDefault="unqualified")
// under a namespaced parent.
func (s service) request(to, messageID, bsn string) []byte {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<soapenv:Envelope xmlns:soapenv="` + nsSOAP + `" xmlns:wsa="` + nsWSA + `">`)
	b.WriteString(`<soapenv:Header>`)
	element(&b, "wsa:Action", s.action)
	element(&b, "wsa:MessageID", messageID)
	element(&b, "wsa:To", to)
	b.WriteString(`</soapenv:Header><soapenv:Body>`)
	b.WriteString(`<smls:` + s.operation + ` xmlns:smls="` + s.namespace + `">`)
	element(&b, "Burgerservicenr", bsn)
	b.WriteString(`</smls:` + s.operation + `></soapenv:Body></soapenv:Envelope>`)
	return b.Bytes()
}

func element(b *bytes.Buffer, name, text string) {
	b.WriteString("<" + name + ">")
	_ = xml.EscapeText(b, []byte(text))
	b.WriteString("</" + name + ">")
}

// envelope is a SOAP 1.1 answer whose body holds a T or a fault.
type envelope[T any] struct {
	XMLName xml.Name `xml:"http://schemas.xmlsoap.org/soap/envelope/ Envelope"`
	Header  struct {
		RelatesTo string `xml:"http://www.w3.org/2005/08/addressing RelatesTo"`
	} `xml:"http://schemas.xmlsoap.org/soap/envelope/ Header"`
	Body struct {
		Fault *soapFault `xml:"http://schemas.xmlsoap.org/soap/envelope/ Fault"`
		// Content is the one element of the body; its type's XMLName
		// makes decoding fail for any other element.
		Content *T `xml:",any"`
	} `xml:"http://schemas.xmlsoap.org/soap/envelope/ Body"`
}

// soapFault is a SOAP 1.1 fault; Suwinet's detail is a SuwiML FWI Fout
// (the WSDL's fault AanvraagNietOk), or NietGerechtigd.
type soapFault struct {
	Code   string `xml:"faultcode"`
	String string `xml:"faultstring"`
	Detail struct {
		Fout           *melding  `xml:"http://bkwi.nl/SuwiML/FWI/v0205 Fout"`
		NietGerechtigd *struct{} `xml:"http://bkwi.nl/SuwiML/FWI/v0205 NietGerechtigd"`
	} `xml:"detail"`
}

// fwi is SuwiML's list of errors, warnings and notes (FWI v0205).
type fwi struct {
	Fout         []melding `xml:"Fout"`
	Waarschuwing []melding `xml:"Waarschuwing"`
}

// melding is one FWI message. Tekst and Detail are the registry's prose
// and may name the person; they are never copied into an error.
type melding struct {
	Code string `xml:"Code"`
}

// decodeAnswer reads a successful answer: an envelope that relates to the
// request and holds a T, not a fault.
func decodeAnswer[T any](messageID string) func([]byte, any) error {
	return func(body []byte, out any) error {
		var env envelope[T]
		if err := xml.Unmarshal(body, &env); err != nil {
			return fmt.Errorf("SOAP envelope: %w", err)
		}
		switch {
		case env.Body.Fault != nil:
			return errors.New("a SOAP fault in a successful answer")
		case env.Body.Content == nil:
			return errors.New("the SOAP body holds no answer")
		case env.Header.RelatesTo != "" && env.Header.RelatesTo != messageID:
			return errors.New("the answer relates to another request (wsa:RelatesTo)")
		}
		*out.(*T) = *env.Body.Content
		return nil
	}
}

// fault maps a SOAP fault to the kind of failure: the caller's mistake for
// a Client fault (the WSDL's AanvraagNietOk), a refusal for NietGerechtigd,
// an unavailable registry for a Server fault. A 404 is a base URL that does
// not lead to the service, never a person not found (that is NietsGevonden).
// Any other body that is no SOAP fault (a gateway's error page) is left to
// its HTTP status.
func fault(status int, body []byte) *httpclient.Failure {
	var env envelope[struct{}]
	if xml.Unmarshal(body, &env) != nil || env.Body.Fault == nil {
		if status == http.StatusNotFound {
			return &httpclient.Failure{Kind: connectors.ErrUnavailable, Detail: "the service is not served at the base URL"}
		}
		return nil
	}
	f := env.Body.Fault
	code := f.Code
	if i := strings.LastIndexByte(code, ':'); i >= 0 {
		code = code[i+1:]
	}
	out := &httpclient.Failure{Kind: connectors.ErrUnavailable, Detail: "SOAP fault " + code}
	if f.Detail.Fout != nil && f.Detail.Fout.Code != "" {
		out.Codes = []string{f.Detail.Fout.Code}
		out.Detail += ", FWI Fout " + f.Detail.Fout.Code
	}
	switch head, _, _ := strings.Cut(code, "."); {
	case f.Detail.NietGerechtigd != nil:
		out.Kind = connectors.ErrUnauthorized
		out.Detail += ", NietGerechtigd"
	case head == "Client" || head == "VersionMismatch" || head == "MustUnderstand":
		out.Kind = connectors.ErrInvalidRequest
	}
	return out
}

// retryable says which failed answers may pass when the query is sent
// again: an overloaded or unreachable broker, never a SOAP fault (HTTP
// 500), which is the registry's deliberate answer to this very message.
func retryable(status int) bool {
	switch status {
	case 429, 502, 503, 504:
		return true
	}
	return false
}
