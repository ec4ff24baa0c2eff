"""`make bench`: the pins API under load, next to a floor on the same server.

Creates a fresh PostgreSQL database, seeds it (bench/seed.py), starts gunicorn
on it with Redis for the rate-limit counters, then drives each endpoint with
wrk for several rounds, in a rotated order so that drift on a shared machine
hits all endpoints alike, and prints one markdown table of medians.

Every knob is an environment variable (see README, "Benchmark").
"""

import json
import math
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pins_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
PORT = int(os.environ.get("BENCH_PORT", "18080"))
DURATION = int(os.environ.get("BENCH_DURATION", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
WORKERS = os.environ.get("BENCH_WORKERS", "2")
SERVER_THREADS = os.environ.get("BENCH_SERVER_THREADS", "4")
GUNICORN_ARGS = os.environ.get("BENCH_GUNICORN_ARGS", "").split()
POOL = int(os.environ.get("BENCH_POOL", "20000"))
UNLIMITED = "100000000/m"

ENDPOINTS = [
    # name, script, key name
    ("floor: constant JSON from a plain Django view", "floor.lua", None),
    ("GET /v1/pinned (10 pins)", "list.lua", "list10"),
    ("GET /v1/pinned (1,000 pins)", "list.lua", "list1000"),
    ("POST /v1/pinned (half new, half repeats)", "pin.lua", "writer"),
    ("DELETE /v1/pinned/{projectId}", "delete.lua", "deleter"),
]


def _server_env() -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pinsite.settings",
        "SECRET_KEY": "benchmark-only-secret-key",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "PINS_BENCH_FLOOR": "1",
        "PINS_RATE_READ": UNLIMITED,
        "PINS_RATE_WRITE": UNLIMITED,
        "PINS_RATE_ANON": UNLIMITED,
        "PINS_MAX_PER_MEMBER": "1000000",
        "LOG_LEVEL": "WARNING",
        "BENCH_POOL": str(POOL),
        # The production configuration (gunicorn.conf.py), sized for the run.
        "WEB_CONCURRENCY": WORKERS,
        "GUNICORN_THREADS": SERVER_THREADS,
        "GUNICORN_BIND": f"127.0.0.1:{PORT}",
        # wrk's few connections, spread evenly over the workers as a load
        # balancer's many would be; left alone, one worker sometimes takes them
        # all, and the run measures one core instead of the service.
        "GUNICORN_WORKER_CONNECTIONS": os.environ.get(
            "GUNICORN_WORKER_CONNECTIONS", str(math.ceil(CONNECTIONS / int(WORKERS)))
        ),
    }


def _recreate_database() -> None:
    info = psycopg.conninfo.conninfo_to_dict(DATABASE_URL)
    name = info.pop("dbname")
    with psycopg.connect(**info, dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk not found; installing the Debian package (needs root)...", flush=True)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    install = [*sudo, "apt-get", "install", "-y", "-q", "wrk"]
    if subprocess.run(install, stdout=subprocess.DEVNULL).returncode != 0:
        # A fresh machine may have no package lists yet.
        subprocess.run([*sudo, "apt-get", "update", "-q"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run(install, check=True, stdout=subprocess.DEVNULL)
    return shutil.which("wrk") or sys.exit("wrk could not be installed")


def _wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"gunicorn did not listen on port {port}")


def _reset_writes(conn: psycopg.Connection) -> None:
    """Before a write round: the writer holds only its repeated pin, the
    deleter holds a pin of every project of the pool."""
    conn.execute(
        "DELETE FROM pins_pin WHERE member_id = (SELECT id FROM members_member "
        "WHERE email = 'writer@bench.test') AND project_id <> (SELECT id FROM "
        "projects_project WHERE project_id = 'bench-repeat-0001')"
    )
    conn.execute(
        "DELETE FROM pins_pin WHERE member_id = "
        "(SELECT id FROM members_member WHERE email = 'deleter@bench.test')"
    )
    conn.execute(
        "INSERT INTO pins_pin (member_id, project_id, pinned_at, created_at) "
        "SELECT m.id, p.id, now(), now() FROM members_member m, projects_project p "
        "WHERE m.email = 'deleter@bench.test' AND p.project_id LIKE 'bench-pool-%'"
    )
    # Statistics as autovacuum would soon gather them after such a change.
    conn.execute("ANALYZE pins_pin")


def _wrk(wrk: str, script: str, key: str | None, seconds: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as combined:
        combined.write((BENCH / script).read_text())
        combined.write("\n")
        combined.write((BENCH / "report.lua").read_text())
    env = {**os.environ, "BENCH_KEY": key or "", "BENCH_THREADS": str(THREADS)}
    env["BENCH_POOL"] = str(POOL)
    try:
        out = subprocess.run(
            [
                wrk,
                f"-t{THREADS}",
                f"-c{CONNECTIONS}",
                f"-d{seconds}s",
                "--timeout",
                "10s",
                "-s",
                combined.name,
                f"http://127.0.0.1:{PORT}",
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(combined.name)
    line = next(line for line in out.splitlines() if line.startswith("BENCH_RESULT "))
    result = json.loads(line.removeprefix("BENCH_RESULT "))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def _table(results: dict[str, list[dict]]) -> str:
    floor_name = ENDPOINTS[0][0]
    floor_rps = statistics.median(r["rps"] for r in results[floor_name])
    rows = [
        "| endpoint | req/s | p50 ms | p99 ms | p99/p50 | × floor | non-2xx |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, *_ in ENDPOINTS:
        runs = results[name]
        rps = statistics.median(r["rps"] for r in runs)
        p50 = statistics.median(r["p50_us"] for r in runs) / 1000
        p99 = statistics.median(r["p99_us"] for r in runs) / 1000
        errors = sum(r["non2xx"] + r["socket_errors"] for r in runs)
        rows.append(
            f"| {name} | {rps:,.0f} | {p50:.2f} | {p99:.2f} | {p99 / p50:.1f} "
            f"| {rps / floor_rps:.2f} | {errors} |"
        )
    return "\n".join(rows)


def _targets(results: dict[str, list[dict]]) -> str:
    def rps(index: int) -> float:
        return statistics.median(r["rps"] for r in results[ENDPOINTS[index][0]])

    def ratio_p99(index: int) -> float:
        runs = results[ENDPOINTS[index][0]]
        return statistics.median(r["p99_us"] for r in runs) / statistics.median(
            r["p50_us"] for r in runs
        )

    checks = [
        ("GET 10 pins ≥ 0.4 × floor", rps(1) / rps(0), 0.4),
        ("GET 1,000 pins ≥ 0.5 × GET 10 pins", rps(2) / rps(1), 0.5),
        ("POST ≥ 0.3 × floor", rps(3) / rps(0), 0.3),
    ]
    lines = [
        f"- {label}: {value:.2f} {'met' if value >= goal else 'NOT met'}"
        for label, value, goal in checks
    ]
    # The target is for the service's endpoints; the floor's own tail, shown
    # beside it, tells how much of a tail the machine adds to any request.
    worst = max(range(1, len(ENDPOINTS)), key=ratio_p99)
    lines.append(
        f"- p99 ≤ 3 × p50 for every endpoint of the service: worst {ratio_p99(worst):.1f} "
        f"({ENDPOINTS[worst][0]}) {'met' if ratio_p99(worst) <= 3 else 'NOT met'}; "
        f"the floor's own: {ratio_p99(0):.1f}"
    )
    return "\n".join(lines)


def main() -> None:
    wrk = _ensure_wrk()
    env = _server_env()
    print(f"Database {DATABASE_URL} (recreated), Redis {REDIS_URL}", flush=True)
    _recreate_database()
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    print("Seeding...", flush=True)
    seeded = subprocess.run(
        [python, "-m", "bench.seed"], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    keys = json.loads(seeded.stdout.strip().splitlines()[-1])
    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        # Fresh statistics, as autovacuum would have gathered on a live database.
        conn.execute("ANALYZE")

    command = [
        python,
        "-m",
        "gunicorn",
        "--config",
        "gunicorn.conf.py",
        "pinsite.wsgi:application",
        *GUNICORN_ARGS,
    ]
    out = BENCH / "results"
    out.mkdir(exist_ok=True)
    print(
        f"Server: gunicorn.conf.py, {WORKERS} workers x {SERVER_THREADS} threads "
        f"{' '.join(GUNICORN_ARGS)} (log: bench/results/server.log)",
        flush=True,
    )
    server_log = (out / "server.log").open("w")
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=server_log, stderr=server_log)
    results: dict[str, list[dict]] = {name: [] for name, *_ in ENDPOINTS}
    try:
        _wait_for_port(PORT)
        with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
            _reset_writes(conn)
            for _, script, key_name in ENDPOINTS:
                _wrk(wrk, script, keys.get(key_name), 2)  # warm-up
            for round_index in range(ROUNDS):
                shift = round_index % len(ENDPOINTS)
                for name, script, key_name in ENDPOINTS[shift:] + ENDPOINTS[:shift]:
                    if script in ("pin.lua", "delete.lua"):
                        _reset_writes(conn)
                    result = _wrk(wrk, script, keys.get(key_name), DURATION)
                    results[name].append(result)
                print(f"round {round_index + 1}/{ROUNDS} done", flush=True)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    settings = (
        f"{ROUNDS} rounds × {DURATION}s per endpoint, wrk -t{THREADS} -c{CONNECTIONS}, "
        f"gunicorn {WORKERS} workers × {SERVER_THREADS} threads, at most "
        f"{env['GUNICORN_WORKER_CONNECTIONS']} connections per worker {' '.join(GUNICORN_ARGS)}"
    ).rstrip()
    report = f"{_table(results)}\n\nMedians of {settings}.\n\n{_targets(results)}\n"
    server_log.close()
    print()
    print(report)
    (out / "latest.md").write_text(report)


if __name__ == "__main__":
    main()
