package ingest

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// xmlScan is a small streaming XML tokenizer for the workbook parts the XLSX reader walks (sheet data and
// shared strings): start and end tags with their raw attributes, and text. It knows nothing of namespaces
// (names are local: x:c is c), skips comments, processing instructions and DOCTYPE, and passes CDATA as
// text. It is several times faster than encoding/xml on a large sheet, which is why it exists.
type xmlScan struct {
	r        io.Reader
	buf      []byte
	pos, end int
	eof      bool
	err      error
	tmp      []byte // a token that crossed a refill
}

const (
	tokEOF = iota
	tokStart
	tokEnd
	tokText
)

type xmlTok struct {
	kind  int
	name  []byte // local name
	attrs []byte // raw attribute text of a start tag
	self  bool   // <x/>: a start tag with no end tag to follow
	text  []byte // raw text (entities not resolved; see xmlText), or CDATA content
	cdata bool
}

func newXMLScan(r io.Reader) *xmlScan { return &xmlScan{r: r, buf: make([]byte, 256<<10)} }

// fill reads more bytes, keeping buf[pos:end]; false at the end of the input.
func (x *xmlScan) fill() bool {
	if x.eof {
		return false
	}
	if x.pos > 0 {
		copy(x.buf, x.buf[x.pos:x.end])
		x.end -= x.pos
		x.pos = 0
	}
	if x.end == len(x.buf) {
		nb := make([]byte, 2*len(x.buf))
		copy(nb, x.buf[:x.end])
		x.buf = nb
	}
	n, err := x.r.Read(x.buf[x.end:])
	x.end += n
	if err == io.EOF {
		x.eof = true
	} else if err != nil {
		x.err = err
		x.eof = true
	}
	return n > 0 || !x.eof
}

// until returns the bytes up to (not including) delim starting at pos and moves past delim; ok is false when
// the input ends first (the rest is returned).
func (x *xmlScan) until(delim []byte) ([]byte, bool) {
	from := 0
	for {
		if i := bytes.Index(x.buf[x.pos+from:x.end], delim); i >= 0 {
			out := x.buf[x.pos : x.pos+from+i]
			x.pos += from + i + len(delim)
			return out, true
		}
		from = max(0, x.end-x.pos-len(delim)+1)
		if !x.fill() {
			out := x.buf[x.pos:x.end]
			x.pos = x.end
			return out, false
		}
	}
}

var errXMLTruncated = errors.New("XML ends inside a tag")

// next returns the next token. Slices in it are valid until the following call.
func (x *xmlScan) next() (xmlTok, error) {
	for {
		if x.pos >= x.end && !x.fill() {
			if x.err != nil {
				return xmlTok{}, x.err
			}
			return xmlTok{kind: tokEOF}, nil
		}
		if x.buf[x.pos] != '<' {
			text, _ := x.until([]byte{'<'})
			if x.pos <= x.end && x.pos > 0 && x.buf[x.pos-1] == '<' {
				x.pos-- // leave the '<' for the next call
			}
			return xmlTok{kind: tokText, text: text}, nil
		}
		// A tag. Make sure a few bytes are there to tell which kind.
		for x.end-x.pos < 9 && x.fill() {
		}
		rest := x.buf[x.pos:x.end]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			x.pos += 4
			if _, ok := x.until([]byte("-->")); !ok {
				return xmlTok{}, x.truncated()
			}
			continue
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			x.pos += 9
			text, ok := x.until([]byte("]]>"))
			if !ok {
				return xmlTok{}, x.truncated()
			}
			return xmlTok{kind: tokText, text: text, cdata: true}, nil
		case bytes.HasPrefix(rest, []byte("<?")):
			x.pos += 2
			if _, ok := x.until([]byte("?>")); !ok {
				return xmlTok{}, x.truncated()
			}
			continue
		case bytes.HasPrefix(rest, []byte("<!")):
			x.pos += 2
			if _, ok := x.until([]byte{'>'}); !ok {
				return xmlTok{}, x.truncated()
			}
			continue
		}
		x.pos++ // '<'
		tag, ok := x.tagBody()
		if !ok {
			return xmlTok{}, x.truncated()
		}
		t := xmlTok{kind: tokStart}
		if len(tag) > 0 && tag[0] == '/' {
			t.kind = tokEnd
			tag = tag[1:]
		} else if len(tag) > 0 && tag[len(tag)-1] == '/' {
			t.self = true
			tag = tag[:len(tag)-1]
		}
		n := 0
		for n < len(tag) && !isXMLSpace(tag[n]) {
			n++
		}
		t.name, t.attrs = tag[:n], tag[n:]
		if i := bytes.IndexByte(t.name, ':'); i >= 0 {
			t.name = t.name[i+1:]
		}
		return t, nil
	}
}

// tagBody reads a tag after its '<' up to its '>' (not inside a quoted attribute value).
func (x *xmlScan) tagBody() ([]byte, bool) {
	var quote byte
	i := x.pos
	for {
		for ; i < x.end; i++ {
			c := x.buf[i]
			switch {
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '"' || c == '\'':
				quote = c
			case c == '>':
				out := x.buf[x.pos:i]
				x.pos = i + 1
				return out, true
			}
		}
		off := i - x.pos
		if !x.fill() {
			return nil, false
		}
		i = x.pos + off
	}
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// xmlAttr returns the raw value of attribute name (compared whole, prefix included) in a start tag's
// attribute text.
func xmlAttr(attrs []byte, name string) (val []byte, found bool) {
	eachXMLAttr(attrs, func(k, v []byte) {
		if !found && string(k) == name {
			val, found = v, true
		}
	})
	return val, found
}

// eachXMLAttr calls fn with each attribute's name and raw value, in order.
func eachXMLAttr(attrs []byte, fn func(key, val []byte)) {
	i := 0
	for i < len(attrs) {
		for i < len(attrs) && isXMLSpace(attrs[i]) {
			i++
		}
		k := i
		for i < len(attrs) && attrs[i] != '=' && !isXMLSpace(attrs[i]) {
			i++
		}
		key := attrs[k:i]
		for i < len(attrs) && (isXMLSpace(attrs[i]) || attrs[i] == '=') {
			i++
		}
		if i >= len(attrs) {
			break
		}
		q := attrs[i]
		if q != '"' && q != '\'' {
			break
		}
		i++
		v := i
		for i < len(attrs) && attrs[i] != q {
			i++
		}
		val := attrs[v:min(i, len(attrs))]
		i++
		fn(key, val)
	}
}

// xmlText appends text with its entity and character references resolved.
func xmlText(dst []byte, raw []byte) []byte {
	for {
		i := bytes.IndexByte(raw, '&')
		if i < 0 {
			return append(dst, raw...)
		}
		dst = append(dst, raw[:i]...)
		raw = raw[i:]
		j := bytes.IndexByte(raw, ';')
		if j < 0 {
			return append(dst, raw...)
		}
		ent := string(raw[1:j])
		raw = raw[j+1:]
		switch ent {
		case "amp":
			dst = append(dst, '&')
		case "lt":
			dst = append(dst, '<')
		case "gt":
			dst = append(dst, '>')
		case "quot":
			dst = append(dst, '"')
		case "apos":
			dst = append(dst, '\'')
		default:
			var n uint64
			var err error = strconv.ErrSyntax
			if strings.HasPrefix(ent, "#x") || strings.HasPrefix(ent, "#X") {
				n, err = strconv.ParseUint(ent[2:], 16, 32)
			} else if strings.HasPrefix(ent, "#") {
				n, err = strconv.ParseUint(ent[1:], 10, 32)
			}
			if err == nil {
				dst = utf8.AppendRune(dst, rune(n))
			} else {
				dst = append(dst, '&')
				dst = append(dst, ent...)
				dst = append(dst, ';')
			}
		}
	}
}

// cellRef reads a cell reference such as AB12: column and row (1-based); ok is false when it is not one.
func cellRef(ref []byte) (col, row int, ok bool) {
	i := 0
	for i < len(ref) && (ref[i] >= 'A' && ref[i] <= 'Z' || ref[i] >= 'a' && ref[i] <= 'z') {
		col = col*26 + int(ref[i]|0x20-'a') + 1
		i++
		if col > 16384 { // XFD, the last column
			return 0, 0, false
		}
	}
	if i == 0 || i == len(ref) {
		return 0, 0, false
	}
	for ; i < len(ref); i++ {
		if ref[i] < '0' || ref[i] > '9' {
			return 0, 0, false
		}
		row = row*10 + int(ref[i]-'0')
		if row > 1<<24 {
			return 0, 0, false
		}
	}
	return col, row, row > 0
}

// truncated is the error of input that ends inside a tag: the reader's own error when it stopped with one (a
// limit, a damaged part), else errXMLTruncated.
func (x *xmlScan) truncated() error {
	if x.err != nil {
		return x.err
	}
	return errXMLTruncated
}
