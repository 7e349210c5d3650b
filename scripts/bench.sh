#!/usr/bin/env bash
# Benchmarks (not tests): whole-process figures of issue 6, each beside its goal or limit and the
# alternatives, measured in one run on this machine; then `cargo bench` (frames and keys with
# 100,000 sender IDs, memory) unless --no-cargo-bench. Everything runs against the emulator on
# 127.0.0.1; nothing reaches AWS. Prints figures and ratios; asserts nothing about time.
#
#   scripts/bench.sh [--runs N] [--no-release] [--no-cargo-bench]
#
#   1. time to first row on screen, 30 ms per request (goal: 1 request + 50 ms = 80 ms)
#   2. full inventory, 3 regions x 2,000, 30 ms per request: the TUI and `sidman list` against
#      the limit (20 sequential pages per region, regions side by side: 0.6 s), the AWS CLI
#      (regions one after the other, --page-size 100) and a threaded boto3 paginator script
#   3. bulk release of 500 sender IDs, 20 requests/s per region, 30 ms per request: the TUI
#      against the limit (500 / 20 = 25 s) and a shell loop of AWS CLI calls (50, extrapolated)
#   5. peak resident memory of the TUI process with 100,000 sender IDs loaded
#   6. start-up: `sidman --version`, the demo's first frame and first row
#   (4 and 5 in-process: `cargo bench`)
#
# The TUI runs in tmux (150x45). It logs milestones (first frame, first row, every region
# loaded) with the wall-clock time to its log file; the time is taken from just before `exec`.
# Needs tmux; the AWS CLI and boto3 comparisons are skipped, saying so, when they are missing
# (`pip install awscli boto3`).
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=5
RELEASE=1
CARGO_BENCH=1
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --no-release) RELEASE=0; shift ;;
    --no-cargo-bench) CARGO_BENCH=0; shift ;;
    *) echo "usage: scripts/bench.sh [--runs N] [--no-release] [--no-cargo-bench]" >&2; exit 2 ;;
  esac
done

LATENCY_MS=30
PER_REGION=2000
REGIONS=us-east-1,eu-west-1,ap-southeast-2
RELEASE_N=500
RELEASE_RATE=20
CLI_RELEASE_N=50
MEM_REGIONS=us-east-1,eu-west-1,ap-southeast-2,ap-south-1
MEM_PER_REGION=25000

command -v tmux >/dev/null || { echo "bench.sh needs tmux (apt-get install tmux)" >&2; exit 2; }
HAVE_AWS=0; command -v aws >/dev/null && HAVE_AWS=1
HAVE_BOTO3=0; python3 -c 'import boto3' 2>/dev/null && HAVE_BOTO3=1

echo "== building (release)"
cargo build --release --quiet
BIN=$PWD/target/release/sidman
tmp=$(mktemp -d)
SOCK=sidman-bench-$$
emus=()
cleanup() {
  tmux -L "$SOCK" kill-server 2>/dev/null || true
  for pid in "${emus[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

# Credentials and config for every client: static, local, never AWS.
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_EC2_METADATA_DISABLED=true
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER=
unset AWS_PROFILE AWS_ENDPOINT_URL AWS_SESSION_TOKEN || true
export XDG_STATE_HOME=$tmp/state

calc() { awk "BEGIN { printf \"%.6f\", $* }"; }
median() { sort -n | awk '{a[NR]=$1} END { if (NR == 0) print ""; else print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2) }'; }
now_us() { date +%s%6N; }
ratio() { calc "$1 / $2"; }

# start_emulator NAME ARGS...: starts `sidman emulator` on a free port, sets URL.
start_emulator() {
  local name=$1; shift
  "$BIN" emulator --listen 127.0.0.1:0 "$@" > "$tmp/$name.log" 2>&1 &
  emus+=($!)
  URL=""
  for _ in $(seq 600); do
    URL=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$tmp/$name.log" | head -1 || true)
    [ -n "$URL" ] && break
    sleep 0.05
  done
  [ -n "$URL" ] || { cat "$tmp/$name.log" >&2; echo "the emulator did not start" >&2; exit 1; }
}
stop_emulators() {
  for pid in "${emus[@]}"; do kill "$pid" 2>/dev/null || true; done
  emus=()
}

echo '{"description":"empty: synthetic only","sender_ids":[]}' > "$tmp/empty.json"

# tui_start DIR ARGS...: runs the TUI in tmux with its own state directory; DIR/t0 is the time
# (microseconds) just before exec.
tui_start() {
  local dir=$1; shift
  mkdir -p "$dir"
  tmux -L "$SOCK" kill-session -t tui 2>/dev/null || true
  tmux -L "$SOCK" new-session -d -s tui -x 150 -y 45 \
    "date +%s%6N > '$dir/t0'; exec env XDG_STATE_HOME='$dir' AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null '$BIN' $* 2> '$dir/stderr'"
}
# milestone DIR TEXT: the wall-clock microseconds the TUI logged for a milestone, empty if none.
milestone() {
  grep -h "sidman::milestone: $2 since_start" "$1/sidman/sidman.log" 2>/dev/null | head -1 |
    sed -E 's/.*unix_us=([0-9]+).*/\1/'
}
# wait_milestone DIR TEXT SECONDS
wait_milestone() {
  local i
  for i in $(seq $(( $3 * 50 ))); do
    [ -n "$(milestone "$1" "$2")" ] && return 0
    sleep 0.02
  done
  echo "no '$2' within $3 s; screen:" >&2
  tmux -L "$SOCK" capture-pane -p -t tui >&2 || true
  cat "$1/stderr" >&2 || true
  return 1
}
tui_quit() {
  tmux -L "$SOCK" send-keys -t tui q 2>/dev/null || true
  sleep 0.2
  tmux -L "$SOCK" kill-session -t tui 2>/dev/null || true
}
since_t0_ms() { calc "($(milestone "$1" "$2") - $(cat "$1/t0")) / 1000"; }

declare -A FIG

# ---------------------------------------------------------------- 6. start-up
echo "== 6. start-up"
for _ in $(seq 20); do
  s=$(now_us); "$BIN" --version > /dev/null; e=$(now_us); calc "($e - $s) / 1000"; echo
done | median > "$tmp/version"
FIG[version]=$(cat "$tmp/version")
for r in $(seq "$RUNS"); do
  d=$tmp/demo$r
  tui_start "$d" --demo
  wait_milestone "$d" "first frame with every region loaded" 20
  tui_quit
  echo "$(since_t0_ms "$d" "first frame") $(since_t0_ms "$d" "first frame with a sender-ID row")"
done > "$tmp/demo"
FIG[demo_frame]=$(awk '{print $1}' "$tmp/demo" | median)
FIG[demo_row]=$(awk '{print $2}' "$tmp/demo" | median)

# ---------------------------------------------------------------- 1 + 2. first row, full inventory
echo "== 1, 2. first row and full inventory: 3 regions x $PER_REGION, $LATENCY_MS ms per request"
start_emulator list --seed "$tmp/empty.json" --synthetic $PER_REGION --synthetic-regions $REGIONS \
  --latency-ms $LATENCY_MS
LIST_URL=$URL
for r in $(seq "$RUNS"); do
  d=$tmp/tui$r
  tui_start "$d" --region $REGIONS --endpoint-url "$LIST_URL"
  wait_milestone "$d" "first frame with every region loaded" 60
  tui_quit
  echo "$(since_t0_ms "$d" "first frame with a sender-ID row") $(since_t0_ms "$d" "first frame with every region loaded")"
done > "$tmp/tui"
FIG[first_row]=$(awk '{print $1}' "$tmp/tui" | median)
FIG[tui_load]=$(awk '{print $2 / 1000}' "$tmp/tui" | median)

timeit() { # seconds of one run of "$@", output to $tmp/out; fails on a non-zero exit
  local s e; s=$(now_us); "$@" > "$tmp/out" 2> "$tmp/err" || { cat "$tmp/err" >&2; return 1; }
  e=$(now_us); calc "($e - $s) / 1000000"; echo
}
sidman_list() { "$BIN" list --region $REGIONS --endpoint-url "$LIST_URL" --format json; }
aws_cli_list() {
  for r in ${REGIONS//,/ }; do
    aws pinpoint-sms-voice-v2 describe-sender-ids --page-size 100 --endpoint-url "$LIST_URL" \
      --region "$r" --output json
  done
}
boto3_list() { python3 scripts/bench_boto3.py "$LIST_URL" "$REGIONS"; }

FIG[list_count]=$(sidman_list | grep -c '"SenderIdArn"')
FIG[list]=$(for _ in $(seq "$RUNS"); do timeit sidman_list; done | median)
if [ $HAVE_AWS = 1 ]; then
  FIG[aws_list]=$(for _ in $(seq $(( RUNS < 3 ? RUNS : 3 ))); do timeit aws_cli_list; done | median)
fi
if [ $HAVE_BOTO3 = 1 ]; then
  FIG[boto3_list]=$(for _ in $(seq "$RUNS"); do timeit boto3_list; done | median)
  FIG[boto3_inner]=$(sed -E 's/.* in ([0-9.]+) s/\1/' "$tmp/out")
fi
stop_emulators
PAGES=$(( (PER_REGION + 99) / 100 ))
LIMIT_LIST=$(calc "$PAGES * $LATENCY_MS / 1000")
LIMIT_ROW=$(calc "$LATENCY_MS + 50")

# Waits (up to $2 seconds) until the TUI's screen shows $1.
wait_screen() {
  for _ in $(seq $(($2 * 20))); do
    tmux -L "$SOCK" capture-pane -p -t tui | grep -qF "$1" && return 0
    sleep 0.05
  done
  echo "gave up waiting for '$1' on the screen" >&2
  return 1
}

# ---------------------------------------------------------------- 3. bulk release
if [ $RELEASE = 1 ]; then
  echo "== 3. bulk release of $RELEASE_N, $RELEASE_RATE requests/s per region, $LATENCY_MS ms per request"
  {
    echo '{"description":"bulk release benchmark","sender_ids":['
    for i in $(seq $RELEASE_N); do
      [ "$i" -gt 1 ] && echo ','
      printf '{"region":"us-east-1","sender_id":"BULK%05d","iso_country_code":"GB","message_types":["TRANSACTIONAL"],"monthly_leasing_price":"1.00","deletion_protection_enabled":false,"registered":false}' "$i"
    done
    echo ']}'
  } > "$tmp/bulk.json"
  start_emulator release --seed "$tmp/bulk.json" --rate-limit $RELEASE_RATE --latency-ms $LATENCY_MS
  d=$tmp/release
  tui_start "$d" --region us-east-1 --endpoint-url "$URL"
  wait_milestone "$d" "first frame with every region loaded" 30
  sleep 1.5 # the listing's requests leave the bucket; start with it as full as AWS would
  tmux -L "$SOCK" send-keys -t tui a
  sleep 0.2
  tmux -L "$SOCK" send-keys -t tui D
  wait_screen "Review release" 10
  tmux -L "$SOCK" send-keys -t tui -l release
  # Enter is accepted once the sheet has been read for its dwell (1 s): the prompt says so.
  wait_screen "press Enter to release" 10
  journal=$d/sidman/journal.jsonl
  s=$(now_us)
  tmux -L "$SOCK" send-keys -t tui Enter
  done_n=0
  for _ in $(seq 6000); do # at most 120 s
    done_n=$(grep -c '"kind":"outcome"' "$journal" 2>/dev/null || true)
    [ "${done_n:-0}" -ge $RELEASE_N ] && break
    sleep 0.02
  done
  e=$(now_us)
  FIG[release]=$(calc "($e - $s) / 1000000")
  FIG[released]=$(grep '"kind":"outcome"' "$journal" | grep -c '"result":"released"' || true)
  FIG[release_failed]=$(grep '"kind":"outcome"' "$journal" | grep -vc '"result":"released"' || true)
  FIG[release_throttle_failed]=$(grep '"kind":"outcome"' "$journal" | grep -v '"result":"released"' | grep -c Throttling || true)
  sleep 0.6
  tmux -L "$SOCK" capture-pane -p -t tui > "$tmp/release.screen" || true
  FIG[release_throttled]=$(grep -oE 'throttled [0-9]+×' "$tmp/release.screen" | head -1 | grep -oE '[0-9]+' || echo 0)
  tui_quit
  stop_emulators
  # The re-read alone where DescribeSenderIds is limited to 1 request/s (as some accounts are):
  # Enter to the first intent written, which follows the region's re-read.
  start_emulator reread --seed "$tmp/bulk.json" --rate-limit 1 --latency-ms $LATENCY_MS
  d=$tmp/reread
  tui_start "$d" --region us-east-1 --endpoint-url "$URL"
  wait_milestone "$d" "first frame with every region loaded" 60
  tmux -L "$SOCK" send-keys -t tui a
  for _ in $(seq 60); do # D is refused while pools are read; try again each second
    sleep 1
    tmux -L "$SOCK" send-keys -t tui D
    sleep 0.2
    tmux -L "$SOCK" capture-pane -p -t tui | grep -qF "Review release" && break
  done
  wait_screen "Review release" 5
  tmux -L "$SOCK" send-keys -t tui -l release
  wait_screen "press Enter to release" 10
  journal=$d/sidman/journal.jsonl
  s=$(now_us)
  tmux -L "$SOCK" send-keys -t tui Enter
  for _ in $(seq 9000); do # at most 180 s
    grep -q '"kind":"intent"' "$journal" 2>/dev/null && break
    sleep 0.02
  done
  e=$(now_us)
  FIG[reread_1rps]=$(calc "($e - $s) / 1000000")
  tmux -L "$SOCK" kill-session -t tui 2>/dev/null || true
  stop_emulators
  if [ $HAVE_AWS = 1 ]; then
    start_emulator release_cli --seed "$tmp/bulk.json" --rate-limit $RELEASE_RATE --latency-ms $LATENCY_MS
    cli_loop() {
      for i in $(seq $CLI_RELEASE_N); do
        aws pinpoint-sms-voice-v2 release-sender-id --sender-id "$(printf 'BULK%05d' "$i")" \
          --iso-country-code GB --endpoint-url "$URL" --region us-east-1 --output json > /dev/null
      done
    }
    FIG[aws_release50]=$(timeit cli_loop)
    FIG[aws_release]=$(calc "${FIG[aws_release50]} * $RELEASE_N / $CLI_RELEASE_N")
    stop_emulators
  fi
fi
LIMIT_RELEASE=$(calc "$RELEASE_N / $RELEASE_RATE")
# Before releasing, sidman re-reads every sender ID (DescribeSenderIds with Filters, 20 a call),
# and the emulator's limit counts every request of the region: the floor is then
# (500 + 25 - 20) / 20.
REREADS=$(( (RELEASE_N + 19) / 20 ))
FLOOR_RELEASE=$(calc "($RELEASE_N + $REREADS - $RELEASE_RATE) / $RELEASE_RATE")

# ---------------------------------------------------------------- 5. memory of the TUI process
echo "== 5. memory of the TUI process with 4 x $MEM_PER_REGION sender IDs"
start_emulator memory --seed "$tmp/empty.json" --synthetic $MEM_PER_REGION --synthetic-regions $MEM_REGIONS
d=$tmp/memory
tui_start "$d" --region $MEM_REGIONS --endpoint-url "$URL"
wait_milestone "$d" "first frame with every region loaded" 180
pid=$(tmux -L "$SOCK" display -p -t tui '#{pane_pid}')
FIG[mem_loaded]=$(awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status")
FIG[mem_load_s]=$(calc "$(since_t0_ms "$d" "first frame with every region loaded") / 1000")
for k in a / a c m e Enter Escape s s s s; do tmux -L "$SOCK" send-keys -t tui "$k"; sleep 0.1; done
sleep 0.5
FIG[mem_session]=$(awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status")
FIG[mem_rss]=$(awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status")
tui_quit
stop_emulators

# ---------------------------------------------------------------- report
line() { printf '%-58s %12s %12s %8s\n' "$@"; }
echo
echo "== results ($(nproc) CPUs, $(uname -sr); medians of $RUNS runs unless said)"
line "figure" "measured" "goal/limit" "ratio"
line "1. first row on screen, $LATENCY_MS ms/request (ms)" "${FIG[first_row]}" "$LIMIT_ROW" "$(printf '%.2fx' "$(ratio "${FIG[first_row]}" "$LIMIT_ROW")")"
echo "2. full inventory, 3 regions x $PER_REGION (${FIG[list_count]} listed), $LATENCY_MS ms/request, seconds:"
line "   limit: $PAGES sequential pages per region, regions side by side" "$LIMIT_LIST" "" "1.00x"
line "   sidman TUI: process start to every region loaded" "${FIG[tui_load]}" "$LIMIT_LIST" "$(printf '%.2fx' "$(ratio "${FIG[tui_load]}" "$LIMIT_LIST")")"
line "   sidman list --format json (whole process)" "${FIG[list]}" "$LIMIT_LIST" "$(printf '%.2fx' "$(ratio "${FIG[list]}" "$LIMIT_LIST")")"
if [ -n "${FIG[aws_list]:-}" ]; then
  line "   AWS CLI, regions one after the other (median of 3)" "${FIG[aws_list]}" "$LIMIT_LIST" "$(printf '%.2fx' "$(ratio "${FIG[aws_list]}" "$LIMIT_LIST")")"
else
  echo "   AWS CLI: skipped, \`aws\` is not installed (pip install awscli)"
fi
if [ -n "${FIG[boto3_list]:-}" ]; then
  line "   boto3 paginator, a thread per region (whole process)" "${FIG[boto3_list]}" "$LIMIT_LIST" "$(printf '%.2fx' "$(ratio "${FIG[boto3_list]}" "$LIMIT_LIST")")"
  line "     of which listing, after imports (last run)" "${FIG[boto3_inner]}" "" ""
else
  echo "   boto3: skipped, it is not installed (pip install boto3)"
fi
if [ $RELEASE = 1 ]; then
  echo "3. bulk release of $RELEASE_N, $RELEASE_RATE requests/s per region, $LATENCY_MS ms/request, seconds (one run):"
  line "   limit: $RELEASE_N / $RELEASE_RATE" "$LIMIT_RELEASE" "" "1.00x"
  line "   floor with sidman's re-reads ($REREADS more calls, burst $RELEASE_RATE)" "$FLOOR_RELEASE" "$LIMIT_RELEASE" "$(printf '%.2fx' "$(ratio "$FLOOR_RELEASE" "$LIMIT_RELEASE")")"
  line "   sidman TUI: Enter on the review to the last outcome" "${FIG[release]}" "$LIMIT_RELEASE" "$(printf '%.2fx' "$(ratio "${FIG[release]}" "$LIMIT_RELEASE")")"
  echo "     released ${FIG[released]}, failed ${FIG[release_failed]} (${FIG[release_throttle_failed]} for throttling), throttled answers absorbed by pacing: ${FIG[release_throttled]}"
  line "   the re-read of $RELEASE_N alone at 1 request/s: Enter to the first release" "${FIG[reread_1rps]}" "$REREADS" "$(printf '%.2fx' "$(ratio "${FIG[reread_1rps]}" "$REREADS")")"
  if [ -n "${FIG[aws_release]:-}" ]; then
    line "   AWS CLI loop: $CLI_RELEASE_N calls, x$((RELEASE_N / CLI_RELEASE_N)) (extrapolated)" "${FIG[aws_release]}" "$LIMIT_RELEASE" "$(printf '%.2fx' "$(ratio "${FIG[aws_release]}" "$LIMIT_RELEASE")")"
  else
    echo "   AWS CLI loop: skipped, \`aws\` is not installed (pip install awscli)"
  fi
fi
echo "5. TUI process, 4 x $MEM_PER_REGION sender IDs (loaded in ${FIG[mem_load_s]} s, no added latency), MiB:"
line "   peak resident (VmHWM) once loaded" "${FIG[mem_loaded]}" "100" "$(printf '%.2fx' "$(ratio "${FIG[mem_loaded]}" 100)")"
line "   peak after mark all, filter, 4 sorts (resident ${FIG[mem_rss]})" "${FIG[mem_session]}" "100" "$(printf '%.2fx' "$(ratio "${FIG[mem_session]}" 100)")"
echo "6. start-up, ms:"
line "   sidman --version (median of 20)" "${FIG[version]}" "" ""
line "   sidman --demo: first frame" "${FIG[demo_frame]}" "" ""
line "   sidman --demo: first frame with a sender-ID row" "${FIG[demo_row]}" "" ""

if [ $CARGO_BENCH = 1 ]; then
  echo
  echo "== 4, 5. cargo bench (in-process: frames and keys with 100,000 sender IDs, memory)"
  cargo bench --quiet 2>&1 | grep -v '^\s*\(Compiling\|Finished\|Running\)'
fi
