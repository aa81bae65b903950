package ingest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"complaints/catalog"
)

func init() {
	registerReader(readerSpec{Name: "json", Exts: []string{"json", "ndjson", "jsonl"}, Sniff: sniffJSON, Open: openJSON})
}

func sniffJSON(head []byte) bool {
	h := bytes.TrimLeft(bytes.TrimPrefix(head, []byte{0xEF, 0xBB, 0xBF}), " \t\r\n")
	return len(h) > 0 && (h[0] == '[' || h[0] == '{')
}

// openJSON reads an array of objects or NDJSON (one object per line). Nested objects are flattened to dotted
// paths (customer.mobile), which profiles address directly. The header is every path in the order first
// seen, found in a first pass over the file; the second pass yields the rows. Numbers keep their literal
// text, null is empty, arrays of scalars are joined with "; " and arrays of objects kept as JSON text.
func openJSON(ctx context.Context, in *input) (*table, error) {
	// Pass 1: the header.
	var header []string
	index := map[string]int{}
	enc := ""
	quiet := *in
	quiet.count = nil // progress is counted on the second pass
	records := 0
	err := scanJSON(&quiet, &enc, func(num int, rec []kv, problem string) error {
		records++
		if records > in.Limits.MaxRows {
			return catalog.Errorf("msg_limits_rows", catalog.Msg("msg_limits_at_record", records), in.Limits.MaxRows)
		}
		for _, f := range rec {
			if _, ok := index[f.k]; !ok {
				index[f.k] = len(header)
				header = append(header, f.k)
				if len(header) > in.Limits.MaxColumns {
					return catalog.Errorf("msg_limits_columns", catalog.Msg("msg_limits_at_line", num), len(header), in.Limits.MaxColumns)
				}
			}
		}
		return nil
	}, nil)
	if err != nil {
		return nil, err
	}
	if len(header) == 0 {
		return nil, fmt.Errorf("no objects: the file holds no JSON records")
	}
	// Pass 2: the rows, pushed by scanJSON from a goroutine and pulled by next; close stops it early.
	rows := make(chan rawRow, 256)
	errc := make(chan error, 1)
	stop := make(chan struct{})
	count := in.count
	go func() {
		defer close(rows)
		in2 := *in
		in2.count = count
		enc2 := "" // pass 1 already set enc; a private copy keeps this goroutine from writing it (data race)
		errc <- scanJSON(&in2, &enc2, func(num int, rec []kv, problem string) error {
			fields := make([]string, len(header))
			for _, f := range rec {
				if i, ok := index[f.k]; ok {
					fields[i] = f.v
				}
			}
			select {
			case rows <- rawRow{Num: num, Fields: fields, Problem: problem}:
				return nil
			case <-stop:
				return errStopped
			case <-ctx.Done():
				return ctx.Err()
			}
		}, stop)
	}()
	format := "json"
	t := &table{Format: format, Encoding: enc, Header: header, HeaderRow: 0}
	done := false
	t.next = func() (rawRow, error) {
		r, ok := <-rows
		if !ok {
			if !done {
				done = true
				if err := <-errc; err != nil && !errors.Is(err, errStopped) {
					return rawRow{}, err
				}
			}
			return rawRow{}, io.EOF
		}
		return r, nil
	}
	t.close = func() error {
		select {
		case <-stop:
		default:
			close(stop)
		}
		for range rows {
		}
		return nil
	}
	if isNDJSON(in.Head) {
		t.Format = "ndjson"
	}
	return t, nil
}

var errStopped = errors.New("stopped")

type kv struct{ k, v string }

func isNDJSON(head []byte) bool {
	h := bytes.TrimLeft(bytes.TrimPrefix(head, []byte{0xEF, 0xBB, 0xBF}), " \t\r\n")
	return len(h) > 0 && h[0] == '{'
}

// scanJSON calls emit for every record of the file with its 1-based line number.
func scanJSON(in *input, enc *string, emit func(num int, rec []kv, problem string) error, stop chan struct{}) error {
	r, closer, name, err := openText(in)
	if err != nil {
		return err
	}
	defer closer.Close()
	*enc = name
	if isNDJSON(in.Head) {
		br := bufio.NewReaderSize(r, 64<<10)
		line := 0
		for {
			s, err := br.ReadString('\n')
			if s != "" {
				line++
				if line == 1 {
					s = strings.TrimPrefix(s, "\ufeff")
				}
				if t := strings.TrimSpace(s); t != "" {
					dec := json.NewDecoder(strings.NewReader(t))
					dec.UseNumber()
					var rec []kv
					tok, terr := dec.Token()
					problem := ""
					if terr == nil {
						if d, ok := tok.(json.Delim); !ok || d != '{' {
							problem = "line is not a JSON object"
						} else if ferr := flattenJSON(dec, tok, "", &rec, 1, in.Limits); ferr != nil {
							if lerr := jsonLimit(ferr, line, in.Limits); lerr != nil {
								return lerr
							}
							problem = "invalid JSON: " + ferr.Error()
						}
					} else {
						problem = "invalid JSON: " + terr.Error()
					}
					if problem != "" && errors.Is(err, io.EOF) {
						problem = "row cut off: the last line is not a complete JSON object"
					}
					if e := emit(line, rec, problem); e != nil {
						return e
					}
				}
			}
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return fmt.Errorf("line %d: %w", line+1, err)
			}
		}
	}
	lt := &lineTracker{r: r}
	dec := json.NewDecoder(lt)
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("invalid JSON: %w", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return fmt.Errorf("invalid JSON: expected an array of objects or one object per line")
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("line %d: invalid JSON: %w", lt.lineAt(dec.InputOffset()), err)
		}
		line := lt.lineAt(dec.InputOffset() - 1)
		var rec []kv
		if d, ok := tok.(json.Delim); !ok || d != '{' {
			return fmt.Errorf("line %d: array element is not an object", line)
		}
		if err := flattenJSON(dec, tok, "", &rec, 1, in.Limits); err != nil {
			if lerr := jsonLimit(err, line, in.Limits); lerr != nil {
				return lerr
			}
			if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
				return emit(line, rec, "row cut off: the file ends inside this object")
			}
			return fmt.Errorf("line %d: invalid JSON: %w", line, err)
		}
		if e := emit(line, rec, ""); e != nil {
			return e
		}
	}
	return nil
}

// errJSONDepth and jsonKeyTooLong are flattenJSON's limit errors; scanJSON names the line (jsonLimit).
var errJSONDepth = errors.New("JSON nested too deep")

type jsonKeyTooLong struct{ n int }

// jsonTooWide: one record flattens to more fields than MaxColumns.
type jsonTooWide struct{ n int }

func (e *jsonTooWide) Error() string { return fmt.Sprintf("JSON record of more than %d fields", e.n) }

func (e *jsonKeyTooLong) Error() string { return fmt.Sprintf("JSON path of %d bytes", e.n) }

// jsonLimit turns flattenJSON's limit errors into the catalogue's messages at line; nil for other errors.
func jsonLimit(err error, line int, lim Limits) error {
	var k *jsonKeyTooLong
	var w *jsonTooWide
	switch {
	case errors.As(err, &w):
		return catalog.Errorf("msg_limits_columns", catalog.Msg("msg_limits_at_line", line), w.n, lim.MaxColumns)
	case errors.Is(err, errJSONDepth):
		return catalog.Errorf("msg_limits_json_depth", catalog.Msg("msg_limits_at_line", line), lim.MaxJSONDepth)
	case errors.As(err, &k):
		return catalog.Errorf("msg_limits_cell_bytes", catalog.Msg("msg_limits_at_line", line), k.n, lim.MaxCellBytes)
	}
	return nil
}

// flattenJSON reads the value that starts with tok at nesting depth (the record's object is 1), appending
// dotted paths and their text. An object or array deeper than lim.MaxJSONDepth is refused before it is read
// (errJSONDepth), and so is a path longer than lim.MaxCellBytes.
func flattenJSON(dec *json.Decoder, tok json.Token, prefix string, out *[]kv, depth int, lim Limits) error {
	switch v := tok.(type) {
	case json.Delim:
		if depth > lim.MaxJSONDepth {
			return errJSONDepth
		}
		switch v {
		case '{':
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return err
				}
				key, _ := kt.(string)
				vt, err := dec.Token()
				if err != nil {
					return err
				}
				if len(prefix)+len(key) >= lim.MaxCellBytes {
					return &jsonKeyTooLong{len(prefix) + 1 + len(key)}
				}
				p := key
				if prefix != "" {
					p = prefix + "." + key
				}
				if err := flattenJSON(dec, vt, p, out, depth+1, lim); err != nil {
					return err
				}
			}
			_, err := dec.Token() // }
			return err
		case '[':
			var items []any
			scalars := true
			for dec.More() {
				et, err := dec.Token()
				if err != nil {
					return err
				}
				x, err := readJSONValue(dec, et, depth+1, lim.MaxJSONDepth)
				if err != nil {
					return err
				}
				switch x.(type) {
				case map[string]any, []any:
					scalars = false
				}
				items = append(items, x)
			}
			if _, err := dec.Token(); err != nil { // ]
				return err
			}
			var text string
			if scalars {
				parts := make([]string, 0, len(items))
				for _, x := range items {
					parts = append(parts, scalarText(x))
				}
				text = strings.Join(parts, "; ")
			} else {
				b, _ := json.Marshal(items)
				text = string(b)
			}
			*out = append(*out, kv{prefix, text})
		}
	default:
		*out = append(*out, kv{prefix, scalarText(v)})
	}
	if len(*out) > lim.MaxColumns {
		return &jsonTooWide{len(*out)}
	}
	return nil
}

// readJSONValue reads the value that starts with tok (an array element) as encoding/json would decode it into
// an any, refusing nesting deeper than maxDepth before reading it.
func readJSONValue(dec *json.Decoder, tok json.Token, depth, maxDepth int) (any, error) {
	d, ok := tok.(json.Delim)
	if !ok {
		return tok, nil
	}
	if depth > maxDepth {
		return nil, errJSONDepth
	}
	switch d {
	case '{':
		m := map[string]any{}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return nil, err
			}
			vt, err := dec.Token()
			if err != nil {
				return nil, err
			}
			v, err := readJSONValue(dec, vt, depth+1, maxDepth)
			if err != nil {
				return nil, err
			}
			key, _ := kt.(string)
			m[key] = v
		}
		_, err := dec.Token()
		return m, err
	case '[':
		a := []any{}
		for dec.More() {
			et, err := dec.Token()
			if err != nil {
				return nil, err
			}
			v, err := readJSONValue(dec, et, depth+1, maxDepth)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
		_, err := dec.Token()
		return a, err
	}
	return nil, fmt.Errorf("unexpected %q", d)
}

func scalarText(x any) string {
	switch v := x.(type) {
	case nil:
		return ""
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		if v {
			return "true"
		}
		return "false"
	case float64:
		return fmt.Sprint(v)
	}
	b, _ := json.Marshal(x)
	return string(b)
}

// lineTracker counts newlines of a stream so that a decoder's byte offset can be turned into a line number.
// It keeps only the offsets of newlines the decoder has read ahead.
type lineTracker struct {
	r     io.Reader
	off   int64
	nl    []int64
	lines int
}

func (l *lineTracker) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for i := 0; i < n; i++ {
		if p[i] == '\n' {
			l.nl = append(l.nl, l.off+int64(i))
		}
	}
	l.off += int64(n)
	return n, err
}

// lineAt is the 1-based line of byte offset off; offsets must not decrease between calls.
func (l *lineTracker) lineAt(off int64) int {
	k := 0
	for k < len(l.nl) && l.nl[k] < off {
		k++
	}
	l.lines += k
	l.nl = l.nl[k:]
	return l.lines + 1
}
