package lextool

import "errors"

// ErrGold means a gold or map file is malformed: the message lists every
// problem as file:line. The caller should report it as an input error (the
// file must be fixed; vocmine exits 65).
var ErrGold = errors.New("invalid gold file")
