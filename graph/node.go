package graph

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/google/uuid"

	"github.com/poort-nl/poort/graph/model"
	"github.com/poort-nl/poort/internal/globalid"
)

// This file answers node(id:), Relay's object identification: the
// objects the hub stores have global ids (internal/globalid) that say
// which type and store to ask. node reads an object exactly as the
// object's own query does, so the same purpose binding refuses it and the
// same audit record notes it.

// The types that implement Node, by the name their global ids carry.
const (
	nodeCase        = globalid.Case
	nodeTask        = globalid.Task
	nodeHandover    = globalid.Handover
	nodeAuditRecord = globalid.AuditRecord
)

func globalID(typ, key string) string { return globalid.New(typ, key) }

// storeID returns the store's id of an object of typ that an argument
// names by its global id.
func storeID(argument, typ, id string) (uuid.UUID, error) {
	t, key, ok := globalid.Parse(id)
	if !ok {
		return uuid.Nil, badInput(argument, fmt.Errorf("not the id of a %s: give its id field as the graph answers it", typ))
	}
	if t != typ {
		return uuid.Nil, badInput(argument, fmt.Errorf("the id of a %s, where the id of a %s is wanted", t, typ))
	}
	u, err := uuid.Parse(key)
	if err != nil {
		return uuid.Nil, badInput(argument, fmt.Errorf("not the id of a %s the hub gave", typ))
	}
	return u, nil
}

// node answers node(id:). It returns a nil Node, never a typed nil, with
// its error.
func (r *Resolver) node(ctx context.Context, id string) (model.Node, error) {
	typ, key, ok := globalid.Parse(id)
	if !ok {
		return nil, badInput("id", errors.New("not a global id: give an object's id field as the graph answers it"))
	}
	switch typ {
	case nodeCase:
		return asNode(r.caseByID(ctx, id))
	case nodeTask:
		return asNode(r.taskByID(ctx, id))
	case nodeHandover:
		return asNode(r.handoverRead(ctx, id))
	case nodeAuditRecord:
		seq, err := strconv.ParseInt(key, 10, 64)
		if err != nil || seq < 1 {
			return nil, badInput("id", errors.New("not the id of an audit record the hub gave"))
		}
		return asNode(r.auditRecord(ctx, seq))
	}
	return nil, badInput("id", fmt.Errorf("no object of type %q has a global id", typ))
}

// asNode returns what a type's own read returned as a Node.
func asNode[T model.Node](v T, err error) (model.Node, error) {
	if err != nil {
		return nil, err
	}
	return v, nil
}
