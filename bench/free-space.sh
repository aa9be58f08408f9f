# Sourced by the benchmark scripts: require_free_space DIR BYTES WHAT stops the bench in
# one line when DIR's file system has less room than BYTES (a 10M-message run needs
# about 45 GB: the demo file, its PostgreSQL copy and the search index).
require_free_space() {
  local dir=$1 need=$2 what=$3 free
  free=$(df --output=avail -B1 "$dir" | tail -1)
  if [ "$free" -lt "$need" ]; then
    echo "$(basename "$0"): $what needs about $((need / 1073741824)) GB free in $dir, $((free / 1073741824)) GB are" >&2
    exit 1
  fi
}
