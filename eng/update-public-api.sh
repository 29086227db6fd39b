#!/usr/bin/env bash
# Adds every symbol the PublicApiAnalyzers report as undeclared (RS0016) to that project's PublicAPI.Unshipped.txt.
# Usage: eng/update-public-api.sh <project-or-solution>   (run it, review the diff, commit it)
set -euo pipefail
target=${1:?project or solution}
out=$(dotnet build "$target" -p:TreatWarningsAsErrors=false 2>&1 || true)
echo "$out" | grep -oE "RS0016: Symbol '.*' is not part of the declared public API.*\[[^]]*\.csproj\]" \
  | sed -E "s/^RS0016: Symbol '(.*)' is not part of the declared public API.*\[(.*)\/[^/]*\.csproj\]$/\2\t\1/" \
  | sort -u | while IFS=$'\t' read -r dir symbol; do
      file="$dir/PublicAPI.Unshipped.txt"
      grep -qxF -- "$symbol" "$file" 2>/dev/null || echo "$symbol" >> "$file"
    done
# Symbols declared but gone (RS0017): drop them.
echo "$out" | grep -oE "^[^(]*PublicAPI.Unshipped.txt\([0-9]+,[0-9]+\): (warning|error) RS0017: Symbol '.*' is part of the declared API" \
  | sed -E "s/^([^(]*)\([0-9]+,[0-9]+\): (warning|error) RS0017: Symbol '(.*)' is part of the declared API$/\1\t\3/" \
  | sort -u | while IFS=$'\t' read -r file symbol; do
      grep -vxF -- "$symbol" "$file" > "$file.tmp" || true; mv "$file.tmp" "$file"
    done
for f in $(git ls-files -mo --exclude-standard | grep 'PublicAPI.Unshipped.txt$' || true); do
  { grep -x '#nullable enable' "$f" || true; grep -vx '#nullable enable' "$f" | sort -u; } > "$f.tmp" && mv "$f.tmp" "$f"
done
echo "$out" | grep -E " error | warning " | grep -v RS0016 | sort -u | head -40 || true
