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

// embedded holds assets/: README.md always, echarts.min.js and china.js once `make assets` has fetched them.
//
//go:embed assets
var embedded embed.FS

// assetFS is where the scripts are read from: the embedded files (tests swap it to check a missing file).
var assetFS fs.FS = embedded

// ErrNoECharts is returned when the binary was built without the ECharts script.
var ErrNoECharts = errors.New("dashboards/assets/echarts.min.js is not embedded: run `make assets` (it fetches the pinned ECharts from the npm registry), then rebuild")

// ErrNoChinaMap is returned for a --map page when the binary was built without the China map.
var ErrNoChinaMap = errors.New("--map needs the China map, but dashboards/assets/china.js is not embedded: run `make assets` " +
	"(or bash dashboards/assets/fetch-chinamap.sh: it fetches map/js/china.js of npm echarts@4.9.0, integrity-checked), then rebuild")

// echartsScript returns the embedded ECharts script, checked (see inlineScript).
func echartsScript() ([]byte, error) { return inlineScript("echarts.min.js", ErrNoECharts) }

// chinaMapScript returns the embedded China map script (it registers the map "china" with ECharts), checked.
func chinaMapScript() ([]byte, error) { return inlineScript("china.js", ErrNoChinaMap) }

// inlineScript reads assets/name, checks it against the sha256 recorded in assets/name.sha256 and that it can be
// inlined in a <script> element; missing is returned when the file was not fetched before the build.
func inlineScript(name string, missing error) ([]byte, error) {
	js, err := fs.ReadFile(assetFS, "assets/"+name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, missing
	}
	if err != nil {
		return nil, fmt.Errorf("read embedded %s: %w", name, err)
	}
	if rec, err := fs.ReadFile(assetFS, "assets/"+name+".sha256"); err == nil {
		want := strings.Fields(string(rec))
		sum := sha256.Sum256(js)
		if len(want) == 0 || want[0] != hex.EncodeToString(sum[:]) {
			return nil, fmt.Errorf("embedded %s has sha256 %x, not the one recorded in %s.sha256: run `make assets` again", name, sum, name)
		}
	}
	if bytes.Contains(bytes.ToLower(js), []byte("</script")) || bytes.Contains(js, []byte("<!--")) {
		return nil, fmt.Errorf("embedded %s contains </script or <!-- and cannot be inlined", name)
	}
	return js, nil
}
