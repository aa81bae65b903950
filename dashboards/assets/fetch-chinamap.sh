#!/usr/bin/env bash
# fetch-chinamap.sh: put the China map of npm echarts@4.9.0 (map/js/china.js: it registers the map "china" with the
# ECharts on the page; ECharts 5 no longer ships it) at dashboards/assets/china.js for //go:embed. npm pack, the
# tarball's pinned sha512 integrity checked, then package/map/js/china.js extracted (see fetch-npm.sh). Only
# `complaints dashboard --map` inlines it. Run it through `make assets`.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec bash "$here/fetch-npm.sh" echarts 4.9.0 \
    "sha512-+ugizgtJ+KmsJyyDPxaw2Br5FqzuBnyOWwcxPKO6y0gc5caYcfnEUIlNStx02necw8jmKmTafmpHhGo4XDtEIA==" \
    package/map/js/china.js "$here/china.js"
