// Package smalldict derives vocmine's small segmentation dictionary from
// gse's full one; shared by the generator and the test that keeps the
// committed file in step.
package smalldict

import (
	"bytes"
	"strconv"
	"unicode/utf8"
)

// MinFreq is the lowest frequency a word of three or more characters needs
// to stay: 57% of gse's simplified dictionary has frequency 2 or 3, mostly
// long rare compounds. Words of one or two characters all stay: gse gives
// some common ones a low frequency (覆盖 2, 客服 3, 掉线 3).
const MinFreq = 4

// Filter keeps the lines of a gse dictionary ("word freq [pos]") whose word
// has at most two characters or a frequency of at least MinFreq, in order.
func Filter(full []byte) []byte {
	var out bytes.Buffer
	for line := range bytes.Lines(full) {
		fields := bytes.Fields(line)
		if len(fields) < 2 {
			continue
		}
		freq, err := strconv.ParseFloat(string(fields[1]), 64)
		if err != nil {
			continue
		}
		if utf8.RuneCount(fields[0]) <= 2 || freq >= MinFreq {
			out.Write(bytes.TrimRight(line, "\r\n"))
			out.WriteByte('\n')
		}
	}
	return out.Bytes()
}
