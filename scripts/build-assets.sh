#!/usr/bin/env bash
# Build Lantern's web assets from npm packages into lantern/web/static/.
# Nothing is fetched at run time and nothing comes from a CDN: `npm ci` installs
# the pinned packages (package-lock.json), Sass compiles GOV.UK Frontend with a
# system font stack, and the scripts the pages need are copied beside it.
# The built files are not committed (lantern/web/static/.gitignore).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if ! command -v npm >/dev/null 2>&1; then
  echo "build-assets: npm is not installed (Node.js 18 or later is needed to build the web assets)" >&2
  exit 1
fi

# Reinstall only when the lock file changed, so `make` stays quick.
stamp="node_modules/.lantern-lock-stamp"
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi

src="lantern/web/frontend"
out="lantern/web/static"
gov="node_modules/govuk-frontend/dist/govuk"
mkdir -p "$out/govuk" "$out/vendor"

npx --no-install sass --no-source-map --style=compressed --pkg-importer=node \
  "$src/lantern.scss" "$out/lantern.css"

cp "$gov/govuk-frontend.min.js" "$out/govuk/govuk-frontend.min.js"
# GOV.UK images (crown, crest, favicons) are left out: Lantern is not a GOV.UK service.
cp "$src/lantern.mjs" "$out/lantern.mjs"
cp "$src/linkchart.mjs" "$out/linkchart.mjs"
cp node_modules/htmx.org/dist/htmx.min.js "$out/vendor/htmx.min.js"
cp node_modules/cytoscape/dist/cytoscape.min.js "$out/vendor/cytoscape.min.js"
# axe-core is for the browser tests only; it is kept out of the served folder.
mkdir -p "$root/var/test-assets"
cp node_modules/axe-core/axe.min.js "$root/var/test-assets/axe.min.js"

echo "build-assets: built $out"
