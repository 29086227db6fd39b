#!/usr/bin/env bash
# Keeps PublicAPI.Unshipped.txt in step with the code: adds what the PublicApiAnalyzers report as undeclared (RS0016)
# and drops what they report as gone (RS0017). Usage: eng/update-public-api.sh <project>; review the diff, commit it.
set -uo pipefail
target=${1:?project or solution}
out=$(dotnet build "$target" --no-incremental -p:TreatWarningsAsErrors=false 2>&1)
{ echo "$out" | grep -oE "RS0016: Symbol '.*' is not part of the declared public API.*\[[^]]*\.csproj\]" || true; } \
  | sed -E "s/^RS0016: Symbol '(.*)' is not part of the declared public API.*\[(.*)\/[^/]*\.csproj\]$/\2\t\1/" \
  | sort -u | while IFS=$'\t' read -r dir symbol; do
      file="$dir/PublicAPI.Unshipped.txt"
      grep -qxF -- "$symbol" "$file" 2>/dev/null || echo "$symbol" >> "$file"
    done
{ echo "$out" | grep -oE "^[^(]*PublicAPI.Unshipped.txt\([0-9]+,[0-9]+\): (warning|error) RS0017: Symbol '.*' is part of the declared API" || true; } \
  | sed -E "s/^([^(]*)\([0-9]+,[0-9]+\): (warning|error) RS0017: Symbol '(.*)' is part of the declared API$/\1\t\3/" \
  | sort -u | while IFS=$'\t' read -r file symbol; do
      grep -vxF -- "$symbol" "$file" > "$file.tmp"; mv "$file.tmp" "$file"
    done
for f in $(git ls-files -mo --exclude-standard | grep 'PublicAPI.Unshipped.txt$'); do
  { grep -x '#nullable enable' "$f"; grep -vx '#nullable enable' "$f" | sort -u; } > "$f.tmp" && mv "$f.tmp" "$f"
done
echo "$out" | grep -E " error | warning " | grep -vE "RS0016|RS0017" | sort -u | head -40
exit 0
