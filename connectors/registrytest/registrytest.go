// Package registrytest has fakes of the registries for tests: one type per
// registry API (brp.API, nhr.API, ...) whose methods call the function in
// the field of the same name, so a test sets only what it needs. A method
// whose function is not set fails with a *connectors.Error of kind
// ErrUnavailable, so a zero fake is a registry that is down.
//
// Registries assembles fakes with their registries' real registrations, as
// the hub's open registries, so the graph's look-ups run against them. A
// test that wants the hub itself starts it with server/hubtest instead.
package registrytest

import (
	"context"
	"fmt"

	"github.com/poort-nl/poort/connectors"
)

// Fake is what every fake is: a connector that knows its registration.
type Fake interface {
	connectors.Connector
	Registration() connectors.Registration
}

// Registries returns the fakes as open registries, each with its
// registry's registration, look-ups included.
func Registries(fakes ...Fake) connectors.Registries {
	rs := connectors.Registries{}
	for _, f := range fakes {
		rs[f.Registry()] = connectors.Open{Registration: f.Registration(), Connector: f}
	}
	return rs
}

// Down returns the registries as open registries whose every call fails:
// each is a Connector of no registry API, without look-ups, for tests in
// which what the registries answer does not matter.
func Down(names ...connectors.Registry) connectors.Registries {
	rs := connectors.Registries{}
	for _, n := range names {
		rs[n] = connectors.Open{Registration: connectors.Registration{Registry: n}, Connector: &Connector{Name: n}}
	}
	return rs
}

// Unset is the error of a method whose function a test did not set.
func Unset(r connectors.Registry, method string) error {
	return &connectors.Error{Registry: r, Operation: method, Kind: connectors.ErrUnavailable, Detail: "not set in this fake"}
}

// Base is the connector part every fake embeds: Check and Close call
// CheckFunc and CloseFunc when set, and otherwise succeed.
type Base struct {
	CheckFunc func(ctx context.Context) error
	CloseFunc func() error
}

// Check calls CheckFunc, or answers healthy.
func (b *Base) Check(ctx context.Context) error {
	if b.CheckFunc == nil {
		return nil
	}
	return b.CheckFunc(ctx)
}

// Close calls CloseFunc, or does nothing.
func (b *Base) Close() error {
	if b.CloseFunc == nil {
		return nil
	}
	return b.CloseFunc()
}

// Connector is a connector of any registry that does nothing but check
// and close, for tests of the registration machinery itself.
type Connector struct {
	Base
	Name connectors.Registry
}

// Registry returns Name.
func (c *Connector) Registry() connectors.Registry { return c.Name }

// New returns a constructor of the connector for a Registration.
func (c *Connector) New() func(connectors.Config) (connectors.Connector, error) {
	return func(connectors.Config) (connectors.Connector, error) { return c, nil }
}

// String names the fake in test failures.
func (c *Connector) String() string { return fmt.Sprintf("fake connector of %s", c.Name) }
