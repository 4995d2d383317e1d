#!/usr/bin/env bash
# Puts the training corpus in data/corpus/ (git-ignored):
#   nottingham/          Nottingham Music Database, original edition
#   nottingham-cleaned/  the same tunes as cleaned by jukedeck (do not train on both)
#   oneills1850/         O'Neill's Music of Ireland (1903), music21's ABC edition
#   ryans-mammoth/       Ryan's Mammoth Collection (1883), music21's ABC edition,
#                        one tune per file
# With TUNESMITH_CORPUS_MIRROR=DIR it copies those folders from DIR; otherwise
# it downloads them from their public homes at pinned commits. Every file is
# checked against scripts/corpus.sha256. Safe to run again.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dest="${1:-$root/data/corpus}"
manifest="$root/scripts/corpus.sha256"

nmd_commit=0992bb6cd864f6d4b90d6663e08c0ef53ffaa08f
music21_commit=3146cb08762979cd6aae7dc95f246144026eb3cd
url_for() {  # folder/file -> download URL
  local folder=${1%%/*} file=${1#*/}
  case "$folder" in
    nottingham) echo "https://raw.githubusercontent.com/jukedeck/nottingham-dataset/$nmd_commit/ABC_original/$file" ;;
    nottingham-cleaned) echo "https://raw.githubusercontent.com/jukedeck/nottingham-dataset/$nmd_commit/ABC_cleaned/$file" ;;
    oneills1850) echo "https://raw.githubusercontent.com/cuthbertLab/music21/$music21_commit/music21/corpus/oneills1850/$file" ;;
    ryans-mammoth) echo "https://raw.githubusercontent.com/cuthbertLab/music21/$music21_commit/music21/corpus/ryansMammoth/$file" ;;
  esac
}

mkdir -p "$dest"
fetched=0 present=0
while read -r sum rel; do
  target="$dest/$rel"
  if [ -f "$target" ] && [ "$(sha256sum "$target" | cut -d' ' -f1)" = "$sum" ]; then
    present=$((present + 1)); continue
  fi
  mkdir -p "$(dirname "$target")"
  if [ -n "${TUNESMITH_CORPUS_MIRROR:-}" ]; then
    src="$TUNESMITH_CORPUS_MIRROR/$rel"
    [ -f "$src" ] || { echo "fetch-corpus: $src is missing from TUNESMITH_CORPUS_MIRROR" >&2; exit 1; }
    cp "$src" "$target.tmp"
  else
    url=$(url_for "$rel")
    curl -fsSL --retry 3 -o "$target.tmp" "$url" || {
      echo "fetch-corpus: cannot download $url (no network? set TUNESMITH_CORPUS_MIRROR=DIR to copy from a local folder)" >&2
      rm -f "$target.tmp"; exit 1; }
  fi
  got=$(sha256sum "$target.tmp" | cut -d' ' -f1)
  if [ "$got" != "$sum" ]; then
    echo "fetch-corpus: $rel has sha256 $got, expected $sum" >&2
    rm -f "$target.tmp"; exit 1
  fi
  mv "$target.tmp" "$target"
  fetched=$((fetched + 1))
done < "$manifest"
echo "fetch-corpus: $dest: $fetched fetched, $present already present ($(wc -l < "$manifest") files checked)" >&2
