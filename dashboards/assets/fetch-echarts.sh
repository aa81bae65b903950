#!/usr/bin/env bash
# fetch-echarts.sh: put the pinned ECharts build at dashboards/assets/echarts.min.js for //go:embed: npm pack
# echarts@5.6.0, check the tarball's pinned sha512 integrity, extract package/dist/echarts.min.js (see fetch-npm.sh).
# Run it through `make assets`.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec bash "$here/fetch-npm.sh" echarts 5.6.0 \
    "sha512-oTbVTsXfKuEhxftHqL5xprgLoc0k7uScAwtryCgWF6hPYFLRwOUHiFmHGCBKP5NPFNkDVopOieyUqYGH8Fa3kA==" \
    package/dist/echarts.min.js "$here/echarts.min.js"
