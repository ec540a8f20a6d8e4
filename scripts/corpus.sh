#!/usr/bin/env bash
# Fetch the corpus of issue 19 (internal/checks/testdata/corpus/sources.txt)
# into a cache outside the repository: each application by exact version from
# its registry (the Go module proxy, npm, Debian's archive), checked against
# the sha256 written beside it, and unpacked into CACHE/NAME/.
#
#   scripts/corpus.sh [CACHE]
#
# CACHE defaults to $TWELVE_CORPUS, else ~/.cache/twelve/corpus, and is made
# a git repository (nothing is committed to it). An
# application already unpacked from the same archive is not fetched again.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sources=$root/internal/checks/testdata/corpus/sources.txt
cache=${1:-${TWELVE_CORPUS:-${XDG_CACHE_HOME:-$HOME/.cache}/twelve/corpus}}
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
# The archives hold no .git; the cache is one repository, so that twelve
# judges factor I on what an application holds.
[ -e "$cache/.git" ] || git init -q "$cache"

fetch() { # kind package@version dir: puts the archive in dir, prints its path
	local kind=$1 pkg=$2 dir=$3
	case $kind in
	go)
		go mod download -json "$pkg" | sed -n 's/^[[:space:]]*"Zip": "\(.*\)",$/\1/p'
		;;
	npm)
		(cd "$dir" && npm pack --silent "$pkg" >/dev/null) && ls "$dir"/*.tgz
		;;
	deb)
		(cd "$dir" && apt-get download -qq "$pkg" 2>/dev/null) && ls "$dir"/*.deb
		;;
	*)
		echo "corpus: unknown kind $kind" >&2
		return 1
		;;
	esac
}

unpack() { # kind archive dir
	local kind=$1 archive=$2 dir=$3 tmp
	tmp=$(mktemp -d)
	case $kind in
	go) # the zip holds MODULE@VERSION/, as in miniflux.app/v2@v2.3.5/
		unzip -q "$archive" -d "$tmp"
		mv "$(find "$tmp" -maxdepth 5 -type d -name '*@*' | head -n 1)" "$dir"
		;;
	npm) tar -xzf "$archive" -C "$tmp" && mv "$tmp"/package "$dir" ;;
	deb) dpkg-deb -x "$archive" "$dir" ;;
	esac
	rm -rf "$tmp"
}

failed=0
while read -r name _ _ kind pkg sum; do
	case $name in '' | '#'*) continue ;; esac
	if [ "$(cat "$cache/$name.sha256" 2>/dev/null)" = "$sum" ] && [ -d "$cache/$name" ]; then
		continue
	fi
	work=$(mktemp -d)
	if ! archive=$(fetch "$kind" "$pkg" "$work") || [ -z "$archive" ]; then
		echo "corpus: cannot fetch $pkg" >&2
		failed=1
		rm -rf "$work"
		continue
	fi
	got=$(sha256sum "$archive" | cut -d' ' -f1)
	if [ "$got" != "$sum" ]; then
		echo "corpus: $pkg has sha256 $got, want $sum" >&2
		failed=1
		rm -rf "$work"
		continue
	fi
	rm -rf "${cache:?}/$name" "$cache/$name.sha256"
	unpack "$kind" "$archive" "$cache/$name"
	chmod -R u+w "$cache/$name"
	echo "$sum" >"$cache/$name.sha256"
	rm -rf "$work"
	echo "corpus: $name from $pkg" >&2
done <"$sources"
exit "$failed"
