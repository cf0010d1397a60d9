package rdw

import (
	"fmt"
	"strings"
)

// This file parses the part of SoQL's $where a batching client needs:
// predicates on kenteken combined with AND, OR and parentheses,
//
//	kenteken = 'AB12CD'
//	kenteken in('AB12CD', 'XY99ZZ')
//	(kenteken = 'AB12CD' OR kenteken = 'XY99ZZ') AND kenteken in('AB12CD')
//
// Each predicate names a finite set of plates, so the whole condition is
// evaluated as set algebra over plates, never by scanning the dataset.
// Other valid SoQL (other columns, LIKE, functions, ...) is refused as
// unsupported; text that is not SoQL gets Socrata's parse error.

type tokenKind int

const (
	tokEOF tokenKind = iota
	tokIdent
	tokString
	tokNumber
	tokPunct // ( ) ,
	tokOp    // = != <> < > <= >=
)

type token struct {
	kind tokenKind
	text string // identifiers as written; strings unquoted
	pos  int    // byte offset in the condition, for messages
}

func (t token) String() string {
	switch t.kind {
	case tokEOF:
		return "end of input"
	case tokString:
		return "'" + strings.ReplaceAll(t.text, "'", "''") + "'"
	default:
		return t.text
	}
}

type whereParser struct {
	ds   *dataset
	src  string
	toks []token
	i    int
}

// parseWhere returns the set of plates the condition selects.
func parseWhere(ds *dataset, src string) (map[string]struct{}, *socrataError) {
	p := &whereParser{ds: ds, src: src}
	if err := p.lex(); err != nil {
		return nil, err
	}
	set, err := p.or()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEOF {
		return nil, p.expected("AND, OR or the end of the condition", t)
	}
	return set, nil
}

func (p *whereParser) lex() *socrataError {
	s := p.src
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(' || c == ')' || c == ',':
			p.toks = append(p.toks, token{tokPunct, string(c), i})
			i++
		case c == '=':
			p.toks = append(p.toks, token{tokOp, "=", i})
			i++
		case c == '<' || c == '>' || c == '!':
			j := i + 1
			if j < len(s) && (s[j] == '=' || c == '<' && s[j] == '>') {
				j++
			}
			op := s[i:j]
			if op == "!" {
				return p.malformedAt(i, "Unexpected character `!'")
			}
			p.toks = append(p.toks, token{tokOp, op, i})
			i = j
		case c == '\'':
			var b strings.Builder
			j := i + 1
			for {
				if j >= len(s) {
					return p.malformedAt(i, "Unterminated string literal")
				}
				if s[j] == '\'' {
					if j+1 < len(s) && s[j+1] == '\'' {
						b.WriteByte('\'')
						j += 2
						continue
					}
					break
				}
				b.WriteByte(s[j])
				j++
			}
			p.toks = append(p.toks, token{tokString, b.String(), i})
			i = j + 1
		case c >= '0' && c <= '9':
			j := i
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.') {
				j++
			}
			p.toks = append(p.toks, token{tokNumber, s[i:j], i})
			i = j
		case c == '_' || c == ':' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			j := i + 1
			for j < len(s) && (s[j] == '_' || s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z' || s[j] >= '0' && s[j] <= '9') {
				j++
			}
			p.toks = append(p.toks, token{tokIdent, s[i:j], i})
			i = j
		default:
			return p.malformedAt(i, fmt.Sprintf("Unexpected character `%c'", c))
		}
	}
	p.toks = append(p.toks, token{kind: tokEOF, pos: len(s)})
	return nil
}

func (p *whereParser) peek() token { return p.toks[p.i] }

func (p *whereParser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

func (p *whereParser) keyword(t token, kw string) bool {
	return t.kind == tokIdent && strings.EqualFold(t.text, kw)
}

func (p *whereParser) or() (map[string]struct{}, *socrataError) {
	set, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.keyword(p.peek(), "or") {
		p.next()
		other, err := p.and()
		if err != nil {
			return nil, err
		}
		for k := range other {
			set[k] = struct{}{}
		}
	}
	return set, nil
}

func (p *whereParser) and() (map[string]struct{}, *socrataError) {
	set, err := p.primary()
	if err != nil {
		return nil, err
	}
	for p.keyword(p.peek(), "and") {
		p.next()
		other, err := p.primary()
		if err != nil {
			return nil, err
		}
		for k := range set {
			if _, ok := other[k]; !ok {
				delete(set, k)
			}
		}
	}
	return set, nil
}

func (p *whereParser) primary() (map[string]struct{}, *socrataError) {
	t := p.next()
	switch {
	case t.kind == tokPunct && t.text == "(":
		set, err := p.or()
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.kind != tokPunct || c.text != ")" {
			return nil, p.expected("`)'", c)
		}
		return set, nil
	case t.kind == tokIdent && p.keyword(t, "not"):
		return nil, unsupported("NOT is not supported by this server; use = or in() on kenteken")
	case t.kind == tokIdent:
		return p.predicate(t)
	default:
		return nil, p.expected("an expression", t)
	}
}

// predicate parses "column = 'x'" or "column in('x', ...)".
func (p *whereParser) predicate(col token) (map[string]struct{}, *socrataError) {
	name := strings.ToLower(col.text)
	if !p.ds.columns[name] {
		return nil, noSuchColumn(p.ds, name, col.pos)
	}
	if name != "kenteken" {
		return nil, unsupported(fmt.Sprintf("conditions on column %s are not supported by this server; use kenteken", name))
	}
	op := p.next()
	switch {
	case op.kind == tokOp && op.text == "=":
		v := p.next()
		if v.kind != tokString {
			return nil, p.literal(v)
		}
		return map[string]struct{}{v.text: {}}, nil
	case p.keyword(op, "in"):
		if c := p.next(); c.kind != tokPunct || c.text != "(" {
			return nil, p.expected("`('", c)
		}
		set := map[string]struct{}{}
		for {
			v := p.next()
			if v.kind != tokString {
				return nil, p.literal(v)
			}
			set[v.text] = struct{}{}
			c := p.next()
			if c.kind == tokPunct && c.text == ")" {
				return set, nil
			}
			if c.kind != tokPunct || c.text != "," {
				return nil, p.expected("`,' or `)'", c)
			}
		}
	case op.kind == tokOp, p.keyword(op, "like"), p.keyword(op, "not"), p.keyword(op, "is"), p.keyword(op, "between"),
		p.keyword(op, "starts_with"):
		return nil, unsupported(fmt.Sprintf("operator %s is not supported by this server; use = or in()", op))
	default:
		return nil, p.expected("an operator", op)
	}
}

// literal reports a value that is not a string literal: a number is a type
// mismatch for the text column kenteken, anything else a parse error.
func (p *whereParser) literal(t token) *socrataError {
	if t.kind == tokNumber {
		return &socrataError{
			Message:   "Query coordinator error: query.soql.type-mismatch; Type mismatch: kenteken is text, but " + t.text + " is number",
			ErrorCode: "query.soql.type-mismatch",
			Data: map[string]any{"dataset": p.ds.id, "name": "=", "have": "number",
				"position": map[string]int{"row": 1, "column": t.pos + 1}},
		}
	}
	return p.expected("a string literal", t)
}

func (p *whereParser) expected(what string, got token) *socrataError {
	return p.malformedAt(got.pos, fmt.Sprintf("Expected %s, but got `%s'", what, got))
}

// malformedAt reports a parse error at a byte offset of the condition,
// counted, as Socrata counts, in the whole query the condition is part of.
func (p *whereParser) malformedAt(pos int, reason string) *socrataError {
	prefix := "select * from #" + p.ds.id + " where "
	q := prefix + p.src
	return malformed(fmt.Sprintf("Could not parse SoQL query %q at line 1 character %d: %s", q, len(prefix)+pos+1, reason), q)
}
