package dashboards

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"strings"
)

// assetFS holds assets/: README.md always, echarts.min.js once `make assets` has fetched it.
//
//go:embed assets
var assetFS embed.FS

// ErrNoECharts is returned when the binary was built without the ECharts script.
var ErrNoECharts = errors.New("dashboards/assets/echarts.min.js is not embedded: run `make assets` (it fetches the pinned ECharts from the npm registry), then rebuild")

// echartsScript returns the embedded ECharts script after checking it against the recorded sha256 and that it can
// be inlined in a <script> element.
func echartsScript() ([]byte, error) {
	js, err := assetFS.ReadFile("assets/echarts.min.js")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNoECharts
	}
	if err != nil {
		return nil, fmt.Errorf("read embedded echarts.min.js: %w", err)
	}
	if rec, err := assetFS.ReadFile("assets/echarts.min.js.sha256"); err == nil {
		want := strings.Fields(string(rec))
		sum := sha256.Sum256(js)
		if len(want) == 0 || want[0] != hex.EncodeToString(sum[:]) {
			return nil, fmt.Errorf("embedded echarts.min.js has sha256 %x, not the one recorded in echarts.min.js.sha256: run `make assets` again", sum)
		}
	}
	if bytes.Contains(bytes.ToLower(js), []byte("</script")) || bytes.Contains(js, []byte("<!--")) {
		return nil, errors.New("embedded echarts.min.js contains </script or <!-- and cannot be inlined")
	}
	return js, nil
}
