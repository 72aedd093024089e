#!/bin/sh
# Rebuild assets/plotly/plotly-<version>-dashboard.min.js: plotly.js core (scatter) with the bar,
# choropleth and scattergeo traces, nothing else. Needs node 20+ and npm with the npm registry.
# The version must be the one plotly.py bundles (tests/unit/test_compression.py checks it).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../../assets/plotly"
cd "$here"
npm install --ignore-scripts --no-audit --no-fund --no-save
version=$(node -p "require('plotly.js/package.json').version")
rm -f "$out"/plotly-*-dashboard.min.js
npx esbuild entry.js --bundle --minify --format=iife --global-name=Plotly \
    --define:global=window --define:define.amd=false --target=es2016 \
    --alias:stream=stream-browserify --loader:.css=empty --legal-comments=none \
    --outfile="$out/plotly-$version-dashboard.min.js"
cp node_modules/plotly.js/LICENSE "$out/LICENSE"
(cd "$out" && sha256sum "plotly-$version-dashboard.min.js")
