# Benchmark 7: Locust load test. Sourced by bench/run (needs CONF, PY, DB,
# copy_db, log, die, odoo_bin, ODOO_CACHE, BENCH_DIR).
#
# For each mode (complaint, then plain helpdesk_mgmt tickets): a database
# (complaint: a copy of $DB; plain: a new one with helpdesk_mgmt only),
# bench_load_setup.py (users, tickets, sessions, due SLA alerts), Odoo with
# --workers=2 --max-cron-threads=1 on a free 127.0.0.1 port, locust headless
# for BENCH_LOAD_DURATION seconds, then Odoo stopped and the SLA cron lag
# read. bench_load_report.py prints both runs side by side. Whatever
# happens, the trap stops Odoo and locust and drops the databases.

LOCUST_VENV="$ODOO_CACHE/locust-venv"
LOAD_DURATION="${BENCH_LOAD_DURATION:-300}"
# 2 mails a second in all, from several senders: like odoo-mailgate (one
# process per mail), the rate holds while a mail takes more than a second.
export BENCH_LOAD_MAIL_USERS="${BENCH_LOAD_MAIL_USERS:-6}"
LOAD_MAIL_USERS="$BENCH_LOAD_MAIL_USERS"
LOAD_OUT="${BENCH_LOAD_OUT:-$ODOO_CACHE/load-results}"
LOAD_TAG="$$"
# locust (benchmark 7) or requests (benchmark 9: each request in process).
LOAD_KIND="${LOAD_KIND:-locust}"
LOAD_PIDS=()
LOAD_DBS=()

# Locust gets its own virtualenv: it needs Werkzeug 3, gevent and greenlet
# newer than the versions Odoo 18 pins in the project's venv.
ensure_locust() {
    local stamp="$LOCUST_VENV/.requirements" want
    want="$(sha1sum "$BENCH_DIR/requirements.txt" | cut -c1-12)"
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        log "installing bench/requirements.txt (locust) into $LOCUST_VENV"
        [ -x "$LOCUST_VENV/bin/python" ] || python3 -m venv "$LOCUST_VENV"
        "$LOCUST_VENV/bin/pip" install -q -r "$BENCH_DIR/requirements.txt"
        echo "$want" > "$stamp"
    fi
}

load_cleanup() {
    local pid db
    for pid in "${LOAD_PIDS[@]}"; do
        # Odoo and locust run in their own process group (setsid): end it all.
        kill -TERM -- "-$pid" 2>/dev/null || true
    done
    sleep 2
    for pid in "${LOAD_PIDS[@]}"; do
        kill -KILL -- "-$pid" 2>/dev/null || true
    done
    LOAD_PIDS=()
    for db in "${LOAD_DBS[@]}"; do
        dropdb --if-exists --force "$db" 2>/dev/null || true
    done
    LOAD_DBS=()
}

free_port() {
    "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

load_run() {
    local mode="$1" db="hmc_load_${1}_$LOAD_TAG" port gport pid i
    LOAD_DBS+=("$db")
    if [ "$mode" = complaint ]; then
        copy_db "$db"
    else
        log "creating $db with helpdesk_mgmt only (no demo data)"
        odoo_bin -c "$CONF" -d "$db" -i helpdesk_mgmt --without-demo=all \
            --stop-after-init --no-http --log-level=warn
    fi
    "$PY" "$BENCH_DIR/bench_load_setup.py" -c "$CONF" -d "$db" --mode "$mode" \
        --out "$LOAD_OUT/plan-$mode.json" --duration "$LOAD_DURATION"
    if [ "$LOAD_KIND" = requests ]; then
        log "replaying the locustfile's requests one at a time ($mode)"
        "$PY" "$BENCH_DIR/bench_requests.py" -c "$CONF" -d "$db" \
            --plan "$LOAD_OUT/plan-$mode.json" --out "$LOAD_OUT/requests-$mode.json"
        return
    fi
    port="$(free_port)"
    gport="$(free_port)"
    log "Odoo on 127.0.0.1:$port (--workers=2 --max-cron-threads=1, $db)"
    setsid "$VENV/bin/odoo" -c "$CONF" -d "$db" --db-filter="^$db\$" \
        --workers=2 --max-cron-threads=1 --http-interface=127.0.0.1 \
        --http-port="$port" --gevent-port="$gport" --log-level=warn \
        --logfile="$LOAD_OUT/odoo-$mode.log" &
    pid=$!
    LOAD_PIDS+=("$pid")
    for i in $(seq 60); do
        curl -fsS -o /dev/null "http://127.0.0.1:$port/web/login" 2>/dev/null && break
        kill -0 "$pid" 2>/dev/null || die "Odoo did not start (see $LOAD_OUT/odoo-$mode.log)"
        sleep 1
    done
    # Warm-up: each worker loads the registry on its first request, and its
    # view cache on its first get_views (not measured, the same for both runs).
    for i in $(seq 8); do
        curl -fsS -o /dev/null "http://127.0.0.1:$port/web/login" 2>/dev/null || true
    done
    python3 "$BENCH_DIR/_warmup.py" "http://127.0.0.1:$port" "$LOAD_OUT/plan-$mode.json" ||
        log "warm-up get_views failed (the run goes on, cold)"
    log "locust: 20 handlers, 50 portal customers, 2 mails/s for ${LOAD_DURATION}s ($mode)"
    date -u '+%Y-%m-%d %H:%M:%S' > "$LOAD_OUT/start-$mode.txt"
    python3 "$BENCH_DIR/_cpu.py" snapshot "$LOAD_OUT/cpu-before-$mode.json"
    # The second snapshot while locust still runs (its CPU is lost once it exits).
    (sleep "$((LOAD_DURATION - 3))" && python3 "$BENCH_DIR/_cpu.py" snapshot \
        "$LOAD_OUT/cpu-after-$mode.json") &
    LOAD_PLAN="$LOAD_OUT/plan-$mode.json" setsid "$LOCUST_VENV/bin/locust" \
        -f "$BENCH_DIR/locustfile.py" --headless -u "$((70 + LOAD_MAIL_USERS))" -r 10 \
        -t "${LOAD_DURATION}s" --host "http://127.0.0.1:$port" \
        --csv "$LOAD_OUT/$mode" --only-summary --stop-timeout 10 \
        > "$LOAD_OUT/locust-$mode.log" 2>&1 &
    LOAD_PIDS+=("$!")
    wait "$!" || true # locust exits 1 when a request failed
    date -u '+%Y-%m-%d %H:%M:%S' > "$LOAD_OUT/end-$mode.txt"
    python3 "$BENCH_DIR/_cpu.py" diff "$LOAD_OUT/cpu-before-$mode.json" \
        "$LOAD_OUT/cpu-after-$mode.json" > "$LOAD_OUT/cpu-$mode.json"
    load_cleanup_servers
}

# Stop the servers but keep the databases (the report reads the lag).
load_cleanup_servers() {
    local pid
    for pid in "${LOAD_PIDS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
    for pid in "${LOAD_PIDS[@]}"; do
        for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -KILL -- "-$pid" 2>/dev/null || true
    done
    LOAD_PIDS=()
}

# Process titles ("odoo: WorkerHTTP", "odoo: WorkerCron"), so that the CPU
# the HTTP workers and the cron worker use can be told apart.
ensure_setproctitle() {
    "$PY" -c 'import setproctitle' 2>/dev/null || "$VENV/bin/pip" install -q setproctitle
}

[ "$LOAD_KIND" = requests ] || { ensure_locust; ensure_setproctitle; }
mkdir -p "$LOAD_OUT"
rm -f "$LOAD_OUT"/*.csv "$LOAD_OUT"/*.json "$LOAD_OUT"/*.log "$LOAD_OUT"/end-*
# Any exit (error, Ctrl-C, kill) stops the servers and drops the databases.
trap load_cleanup EXIT
trap 'exit 130' INT TERM
for mode in ${BENCH_LOAD_MODES:-complaint plain}; do
    load_run "$mode"
done
if [ "$LOAD_KIND" = requests ]; then
    "$PY" "$BENCH_DIR/bench_requests.py" --report \
        "$LOAD_OUT/requests-complaint.json" "$LOAD_OUT/requests-plain.json"
else
    "$PY" "$BENCH_DIR/bench_load_report.py" --out "$LOAD_OUT" \
        --dbs "${LOAD_DBS[@]}"
fi
load_cleanup
trap - EXIT INT TERM
