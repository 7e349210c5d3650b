#!/usr/bin/env bash
# Benchmark (not a test): the full inventory of 3 regions x 2,000 sender IDs with 30 ms added
# latency per request, listed by `sidman list`, against the limit (20 sequential pages of 100 per
# region, regions side by side) and the AWS CLI (one region after the other, --page-size 100).
# Prints the median of RUNS runs of each and the ratios. Usage: scripts/bench-list.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
PER_REGION=2000
LATENCY_MS=30
REGIONS=us-east-1,eu-west-1,ap-southeast-2
PORT=${PORT:-45661}

cargo build --release --quiet
BIN=target/release/sidman
tmp=$(mktemp -d)
trap 'kill $emu 2>/dev/null || true; rm -rf "$tmp"' EXIT
echo '{"description":"empty: synthetic only","sender_ids":[]}' > "$tmp/empty.json"
"$BIN" emulator --listen "127.0.0.1:$PORT" --seed "$tmp/empty.json" --synthetic $PER_REGION \
  --synthetic-regions $REGIONS --latency-ms $LATENCY_MS > "$tmp/emu.log" 2>&1 &
emu=$!
for _ in $(seq 50); do grep -q listening "$tmp/emu.log" && break; sleep 0.1; done

export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_EC2_METADATA_DISABLED=true
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null XDG_STATE_HOME="$tmp/state"
URL="http://127.0.0.1:$PORT"

calc() { awk "BEGIN { printf \"%.6f\", $* }"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
timeit() { # prints seconds of one run of "$@", output discarded, fails on a non-zero exit
  local s e; s=$(date +%s.%N); "$@" > "$tmp/out" 2>"$tmp/err" || { cat "$tmp/err" >&2; return 1; }
  e=$(date +%s.%N); calc "$e - $s"; echo
}

sidman_list() { "$BIN" list --region $REGIONS --endpoint-url "$URL" --format json; }
aws_cli() {
  for r in ${REGIONS//,/ }; do
    aws pinpoint-sms-voice-v2 describe-sender-ids --page-size 100 --endpoint-url "$URL" --region "$r" --output json
  done
}

count=$(sidman_list | grep -c '"SenderIdArn"')
echo "sidman list returns $count sender IDs (expected $((3 * PER_REGION)))"
pages=$(( (PER_REGION + 99) / 100 ))
limit=$(calc "$pages * $LATENCY_MS / 1000")

s_med=$(for _ in $(seq "$RUNS"); do timeit sidman_list; done | median)
if command -v aws >/dev/null; then
  a_med=$(for _ in $(seq "$RUNS"); do timeit aws_cli; done | median)
else
  a_med=""
fi
printf '\n%-46s %8s %10s\n' "3 regions x $PER_REGION, ${LATENCY_MS} ms/request" "seconds" "vs limit"
printf '%-46s %8.3f %10s\n' "limit ($pages sequential pages, regions parallel)" "$limit" "1.00x"
printf '%-46s %8.3f %9.2fx\n' "sidman list (median of $RUNS)" "$s_med" "$(calc "$s_med / $limit")"
if [ -n "$a_med" ]; then
  printf '%-46s %8.3f %9.2fx\n' "aws cli, regions one after the other" "$a_med" "$(calc "$a_med / $limit")"
  printf '\nsidman is %.1fx faster than the AWS CLI\n' "$(calc "$a_med / $s_med")"
fi
