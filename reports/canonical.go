package reports

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"sort"
)

// contentTypeEntry is one <Default> or <Override> element of [Content_Types].xml.
var contentTypeEntry = regexp.MustCompile(`<(Default|Override)\b[^>]*?(/>|>\s*</(Default|Override)>)`)

// canonicalPackage rewrites an xlsx package so that the same workbook always has the same bytes: entries keep
// their order but carry no time, and [Content_Types].xml lists its elements sorted (excelize builds that list from
// maps, so its order varies between runs). Nothing else changes.
func canonicalPackage(b []byte) ([]byte, error) {
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, fmt.Errorf("canonical package: %w", err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("canonical package: %s: %w", f.Name, err)
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate})
		if err != nil {
			rc.Close()
			return nil, fmt.Errorf("canonical package: %s: %w", f.Name, err)
		}
		if f.Name == "[Content_Types].xml" {
			var content []byte
			if content, err = io.ReadAll(rc); err == nil {
				_, err = w.Write(sortContentTypes(content))
			}
		} else {
			_, err = io.Copy(w, rc) // a long list's sheet is copied through, never held whole
		}
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("canonical package: %s: %w", f.Name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("canonical package: %w", err)
	}
	return out.Bytes(), nil
}

// sortContentTypes puts the Default elements, then the Override elements, each sorted, where the first of them was.
func sortContentTypes(b []byte) []byte {
	locs := contentTypeEntry.FindAllIndex(b, -1)
	if len(locs) == 0 {
		return b
	}
	elems := make([]string, len(locs))
	for i, l := range locs {
		elems[i] = string(b[l[0]:l[1]])
	}
	sort.SliceStable(elems, func(i, j int) bool {
		di, dj := elems[i][1] == 'D', elems[j][1] == 'D'
		if di != dj {
			return di
		}
		return elems[i] < elems[j]
	})
	var out bytes.Buffer
	out.Write(b[:locs[0][0]])
	prev := locs[0][0]
	for i, l := range locs {
		out.Write(b[prev:l[0]]) // white space between elements (empty for the first)
		out.WriteString(elems[i])
		prev = l[1]
	}
	out.Write(b[prev:])
	return out.Bytes()
}
