package server

import (
	"github.com/99designs/gqlgen/graphql/errcode"

	"github.com/poort-nl/poort/audit"
	"github.com/poort-nl/poort/auth"
	"github.com/poort-nl/poort/cases"
	"github.com/poort-nl/poort/graph"
	"github.com/poort-nl/poort/internal/apq"
	"github.com/poort-nl/poort/internal/gqlhttp"
	"github.com/poort-nl/poort/internal/limits"
)

// errorCodes are the extensions.code values the hub answers with, so that
// the error counter of each is on /metrics from the start, at zero, and an
// alert on one has a series before the first such error.
func errorCodes() []string {
	return []string{
		// Refused before GraphQL: the transport, authentication, limits.
		gqlhttp.CodeBadRequest, gqlhttp.CodeUnsupportedMediaType, auth.CodeUnauthenticated,
		limits.CodeRateLimited, limits.CodeRequestTooLarge, limits.CodeBatchNotAllowed,
		limits.CodeQueryTooLarge, limits.CodeQueryTooDeep, limits.CodeQueryTooComplex,
		limits.CodeTooManyAliases, limits.CodeTooManyRootFields, limits.CodeValidationTimeout,
		errcode.ParseFailed, errcode.ValidationFailed,
		// A persisted query's hash the hub does not hold, or all of them.
		apq.CodeNotFound, apq.CodeNotSupported,
		// Answered by the graph.
		graph.CodeBadUserInput, graph.CodeNotFound, graph.CodeForbidden, graph.CodeInternal,
		graph.CodeUpstreamUnavailable, graph.CodeUpstreamTimeout, graph.CodeUpstreamInvalid, graph.CodeUpstreamNotOffered,
		graph.CodeEventDoesNotApply, graph.CodeStoreUnavailable,
		cases.CodeConflict, cases.CodeIdempotencyMismatch, cases.CodeInvalidTransition,
		// The response withheld for want of an audit record.
		audit.CodeAuditUnavailable,
	}
}
