// Package limits protects the hub from hostile or careless clients: the
// size of a request body, batched operations, the depth, cost, aliases and
// root fields of a query, and the request rate per principal. Every
// refusal is a GraphQL error with a precise extensions.code and the limit
// in its message.
//
// The query limits are a gqlgen extension (Config.Extension); the body,
// batch and rate limits are HTTP middleware (Config.Body, RateLimiter).
package limits

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/poort-nl/poort/internal/envconfig"
)

// The extensions.code of each refusal.
const (
	CodeRequestTooLarge   = "REQUEST_TOO_LARGE"
	CodeBatchNotAllowed   = "BATCH_NOT_ALLOWED"
	CodeQueryTooLarge     = "QUERY_TOO_LARGE"
	CodeQueryTooDeep      = "QUERY_TOO_DEEP"
	CodeQueryTooComplex   = "QUERY_TOO_COMPLEX"
	CodeTooManyAliases    = "TOO_MANY_ALIASES"
	CodeTooManyRootFields = "TOO_MANY_ROOT_FIELDS"
	CodeRateLimited       = "RATE_LIMITED"
	CodeValidationTimeout = "VALIDATION_TIMEOUT"
)

// Config holds the limits. The defaults are well above what a real
// front-end sends (see docs/security.md); zero turns a limit off.
type Config struct {
	// MaxBodyBytes bounds a request body (POORT_LIMIT_BODY_BYTES, default
	// 131072, 128 KiB).
	MaxBodyBytes int64
	// MaxTokens bounds the lexical tokens of a query, checked before it
	// is parsed into a tree (POORT_LIMIT_TOKENS, default 10000).
	MaxTokens int
	// MaxDepth bounds the nesting of fields; a root field is depth 1
	// (POORT_LIMIT_DEPTH, default 15).
	MaxDepth int
	// MaxCost bounds the query cost: every field costs 1, and a field that
	// returns a list multiplies the cost of what it holds by its first or
	// last argument, the length of its list argument, or ListSize
	// (POORT_LIMIT_COST, default 20000).
	MaxCost int
	// ListSize is the assumed length of a list without a size argument
	// (POORT_LIMIT_LIST_SIZE, default 10).
	ListSize int
	// MaxFields bounds the fields a query selects, counted while it is
	// lexed and again with its fragments expanded (POORT_LIMIT_FIELDS,
	// default 500): the validator's work grows with it.
	MaxFields int
	// MaxRepeats bounds how often one response key is selected in one
	// selection, fragments and same-keyed fields merged
	// (POORT_LIMIT_REPEATS, default 10): the validator compares every pair.
	MaxRepeats int
	// MaxSpreads bounds the named fragments spread into one selection,
	// fragments expanded (POORT_LIMIT_SPREADS, default 50): the validator
	// compares every pair.
	MaxSpreads int
	// MaxAliases bounds the aliased fields (POORT_LIMIT_ALIASES, default
	// 50).
	MaxAliases int
	// MaxRootFields bounds the distinct root fields of an operation
	// (POORT_LIMIT_ROOT_FIELDS, default 20).
	MaxRootFields int
	// Rate is the sustained requests per second per principal
	// (POORT_RATE_LIMIT, default 20); Burst the requests allowed at once
	// (POORT_RATE_BURST, default 60).
	Rate  float64
	Burst int
	// RateKeys bounds the principals whose rate is tracked at once; the
	// least recently seen is forgotten first (POORT_RATE_LIMIT_KEYS,
	// default 10000).
	RateKeys int
}

// Defaults returns the default limits.
func Defaults() Config {
	return Config{
		MaxBodyBytes: 128 << 10, MaxTokens: 10_000, MaxDepth: 15, MaxCost: 20_000, ListSize: 10,
		MaxFields: 500, MaxRepeats: 10, MaxSpreads: 50, MaxAliases: 50, MaxRootFields: 20, Rate: 20, Burst: 60, RateKeys: 10_000,
	}
}

// LoadConfig reads the limits from getenv over the defaults, reporting
// every bad variable at once.
func LoadConfig(getenv func(string) string) (Config, error) {
	c := Defaults()
	e := &envconfig.Reader{Getenv: getenv}
	limit := func(name string, def int) int {
		return envconfig.Value(e, name, def, "a whole number, 0 for no limit", func(v string) (int, bool) {
			n, err := strconv.Atoi(v)
			return n, err == nil && n >= 0
		})
	}
	c.MaxBodyBytes = int64(limit("POORT_LIMIT_BODY_BYTES", int(c.MaxBodyBytes)))
	c.MaxTokens = limit("POORT_LIMIT_TOKENS", c.MaxTokens)
	c.MaxDepth = limit("POORT_LIMIT_DEPTH", c.MaxDepth)
	c.MaxCost = limit("POORT_LIMIT_COST", c.MaxCost)
	c.ListSize = limit("POORT_LIMIT_LIST_SIZE", c.ListSize)
	c.MaxFields = limit("POORT_LIMIT_FIELDS", c.MaxFields)
	c.MaxRepeats = limit("POORT_LIMIT_REPEATS", c.MaxRepeats)
	c.MaxSpreads = limit("POORT_LIMIT_SPREADS", c.MaxSpreads)
	c.MaxAliases = limit("POORT_LIMIT_ALIASES", c.MaxAliases)
	c.MaxRootFields = limit("POORT_LIMIT_ROOT_FIELDS", c.MaxRootFields)
	c.Burst = limit("POORT_RATE_BURST", c.Burst)
	c.RateKeys = limit("POORT_RATE_LIMIT_KEYS", c.RateKeys)
	c.Rate = envconfig.Value(e, "POORT_RATE_LIMIT", c.Rate, "requests per second, 0 for no limit", func(v string) (float64, bool) {
		r, err := strconv.ParseFloat(v, 64)
		// NaN and infinity are numbers to ParseFloat, not rates.
		return r, err == nil && r >= 0 && !math.IsInf(r, 0)
	})
	if c.ListSize < 1 {
		e.Add(errors.New("POORT_LIMIT_LIST_SIZE: want at least 1"))
	}
	if c.Rate > 0 && (c.Burst < 1 || c.RateKeys < 1) {
		e.Add(errors.New("with POORT_RATE_LIMIT set, POORT_RATE_BURST and POORT_RATE_LIMIT_KEYS must be at least 1"))
	}
	if err := e.Err(); err != nil {
		return Config{}, fmt.Errorf("limits: %w", err)
	}
	return c, nil
}
