package generator

import (
	"archive/zip"
	"bytes"
	"io"
	"sort"
	"time"
)

// normaliseZip rewrites a zip (an .xlsx) with every entry's modification time set to mod, so the bytes depend
// only on the content.
func normaliseZip(in []byte, mod time.Time) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(in), int64(len(in)))
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	m := time.Date(mod.Year(), mod.Month(), mod.Day(), 0, 0, 0, 0, time.UTC)
	files := append([]*zip.File(nil), zr.File...)
	rank := func(n string) string { // [Content_Types].xml first, then the rest by name
		if n == "[Content_Types].xml" {
			return ""
		}
		return n
	}
	sort.SliceStable(files, func(i, j int) bool { return rank(files[i].Name) < rank(files[j].Name) })
	for _, f := range files {
		h := &zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: m}
		w, err := zw.CreateHeader(h)
		if err != nil {
			return nil, err
		}
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		if _, err := io.Copy(w, rc); err != nil {
			rc.Close()
			return nil, err
		}
		rc.Close()
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
