#!/bin/sh
# Assembles the editions test site in DIR (created if missing, must be empty): the repository's
# content/, templates/, assets/ and its URL ledger (published-urls.txt: the build then proves that
# adding editions keeps every URL and anchor the real site has published), then this folder's
# content/ over them, and as the site's config the repository's wenji.toml followed by this
# folder's editions.toml (the editions and the English interface).
# Build it with `wenji -r DIR build`.
set -eu
if [ $# -ne 1 ]; then
  echo "usage: $0 DIR" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
dir=$1
mkdir -p "$dir"
if [ -n "$(ls -A "$dir")" ]; then
  echo "$0: $dir is not empty" >&2
  exit 1
fi
for name in content templates assets; do
  cp -R "$repo/$name" "$dir/$name"
done
cp -R "$here/content/." "$dir/content/"
cp "$repo/published-urls.txt" "$dir/published-urls.txt"
{ cat "$repo/wenji.toml"; echo; cat "$here/editions.toml"; } > "$dir/wenji.toml"
