package server

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/poort-nl/poort/businesscase"
)

// charts serves the business case as pictures:
//
//	GET /charts/business-case/{municipality}/cash-flow.svg
//	GET /charts/business-case/{municipality}/tornado.svg
//	GET /charts/scale-check/break-even-by-size.svg
//	GET /charts/scale-check/break-even-by-population.svg
//	GET /charts/scale-check/break-even-by-assumption.svg
//
// each taking horizon, discountRate, startYear, compensationPerContact and
// compensationShare as query parameters; the cash flow also carrying
// (shared or alone), the tornado scenario (couplings, front-office or
// compensated).
func charts(p *businesscase.Parameters) http.Handler {
	mux := http.NewServeMux()
	municipal := func(render func(io.Writer, *businesscase.Case, businesscase.Options, *http.Request) error) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			o, err := chartOptions(p, r)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			c, err := p.ForMunicipality(r.PathValue("municipality"))
			if err != nil {
				status := http.StatusBadRequest
				if errors.Is(err, businesscase.ErrUnknownMunicipality) {
					status = http.StatusNotFound
				}
				http.Error(w, err.Error(), status)
				return
			}
			writeSVG(w, func(b io.Writer) error { return render(b, c, o, r) })
		}
	}
	mux.HandleFunc("GET /charts/business-case/{municipality}/cash-flow.svg", municipal(func(w io.Writer, c *businesscase.Case, o businesscase.Options, _ *http.Request) error {
		res, err := businesscase.Compute(c, o)
		if err != nil {
			return err
		}
		return businesscase.CashFlowSVG(w, res)
	}))
	mux.HandleFunc("GET /charts/business-case/{municipality}/tornado.svg", municipal(func(w io.Writer, c *businesscase.Case, o businesscase.Options, r *http.Request) error {
		s := businesscase.FrontOffice
		if v := r.URL.Query().Get("scenario"); v != "" {
			s = businesscase.Scenario(v)
		}
		t, err := businesscase.TornadoOf(c, o, s)
		if err != nil {
			return err
		}
		return businesscase.TornadoSVG(w, t)
	}))
	scale := func(render func(io.Writer, *businesscase.ScaleResult) error) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			o, err := chartOptions(p, r)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			sr, err := businesscase.ScaleCheck(p, o)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			writeSVG(w, func(b io.Writer) error { return render(b, sr) })
		}
	}
	mux.HandleFunc("GET /charts/scale-check/break-even-by-size.svg", scale(businesscase.BreakEvenBySizeSVG))
	mux.HandleFunc("GET /charts/scale-check/break-even-by-population.svg", scale(businesscase.BreakEvenByPopulationSVG))
	mux.HandleFunc("GET /charts/scale-check/break-even-by-assumption.svg", func(w http.ResponseWriter, r *http.Request) {
		o, err := chartOptions(p, r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		writeSVG(w, func(b io.Writer) error {
			u, err := businesscase.UncertaintyOf(p, o)
			if err != nil {
				return err
			}
			return businesscase.BreakEvenByAssumptionSVG(b, u)
		})
	})
	return mux
}

func chartOptions(p *businesscase.Parameters, r *http.Request) (businesscase.Options, error) {
	o := p.DefaultOptions()
	q := r.URL.Query()
	if v := q.Get("horizon"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return o, errors.New("horizon: want a whole number of years")
		}
		o.HorizonYears = n
	}
	if v := q.Get("discountRate"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return o, errors.New("discountRate: want a number such as 0.0225")
		}
		o.DiscountRate = f
	}
	if v := q.Get("startYear"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return o, errors.New("startYear: want a year")
		}
		o.StartYear = n
	}
	var amounts [2]*float64
	for i, name := range []string{"compensationPerContact", "compensationShare"} {
		if v := q.Get(name); v != "" {
			x, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return o, errors.New(name + ": want a number such as 0.5")
			}
			amounts[i] = &x
		}
	}
	if amounts[0] != nil || amounts[1] != nil {
		rate := p.CompensationRate(amounts[0], amounts[1])
		o.Compensation = &rate
	}
	switch q.Get("carrying") {
	case "", "shared":
	case "alone":
		o.Carrying = businesscase.Alone
	default:
		return o, errors.New("carrying: want shared or alone")
	}
	return o, nil
}

func writeSVG(w http.ResponseWriter, render func(io.Writer) error) {
	var b bytes.Buffer
	if err := render(&b); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(b.Bytes())
}
