// Package cases sets the processes of a life event in motion and hands
// contacts over warmly: the service layer between the GraphQL mutations and
// the store.
//
// Service.StartLifeEvent validates a request against the life-event
// catalogue and the identifier rules, then opens a case with one task per
// chain-partner step and one outbox notification per partner, in one store
// transaction; steps blocked by a coupling gap (from the catalogue, or
// live from the registries' health) become manual tasks with the reason.
// Service.HandOver records a warm handover and notifies the receiving
// partner the same way. Every mutation takes an idempotency key and every
// update an expected version; errors match ErrInvalidArgument (an
// *ArgumentError naming the parameter), ErrNotFound, ErrConflict,
// ErrIdempotencyMismatch and ErrInvalidTransition, and Code maps them to
// GraphQL error codes.
//
// A Dispatcher delivers the outbox to the partners' endpoints, found in a
// Directory: at least once, with an Idempotency-Key and a traceparent,
// retried with backoff, parked after the last attempt. Any number of
// dispatchers may share one database.
//
// Wiring, as the hub does it:
//
//	dir, err := cases.DirectoryFromConfig(os.Getenv("POORT_PARTNER_DIRECTORY")) // or cases.MockDirectory(partnersURL)
//	d, err := cases.NewDispatcher(st, dir, cases.DispatcherOptions{Logger: log})
//	svc, err := cases.NewService(st, catalogue, time.Now,
//		cases.WithHealth(window, lifeevents.Thresholds{}), cases.WithEnqueued(d.Wake))
//	go d.Run(ctx) // returns when ctx is cancelled
//
// Nothing here logs a payload: notifications hold BSNs. docs/cases.md
// describes the model, the guarantees and the configuration.
package cases
