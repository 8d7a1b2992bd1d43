package lexicon

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// ErrNoDimensions means the merged lexicons define no dimension, so nothing
// could ever be tagged: add a lexicon file with dimensions to the config.
var ErrNoDimensions = errors.New("no dimensions defined")

// Error is one problem in a lexicon file, at a position. Col, when set,
// is the column of the problem within the line (rule syntax errors).
type Error struct {
	Pos Pos
	Col int
	Msg string
}

func (e *Error) Error() string {
	if e.Col > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Pos, e.Col, e.Msg)
	}
	return e.Pos.String() + ": " + e.Msg
}

// ErrorList collects every problem found in lexicon files, so that an engineer
// fixes them all in one pass. Use errors.As to reach the positions.
type ErrorList []*Error

func (l ErrorList) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Err returns nil for an empty list, so callers can return it directly.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// yamlError turns a YAML syntax error into an Error at its line.
func yamlError(file string, err error) *Error {
	msg := err.Error()
	pos := Pos{File: file}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		pos.Line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
	}
	return &Error{Pos: pos, Msg: fmt.Sprintf("invalid YAML: %s", strings.TrimPrefix(msg, "yaml: "))}
}
