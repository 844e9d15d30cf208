# Shared by the scripts in this folder: installs what fcsynth needs and manages the
# private services a script starts. Sourced, not run.

FCSYNTH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FCSYNTH_APT_PACKAGES=(libhiredis-dev libcurl4-openssl-dev redis-server pkg-config)
FCSYNTH_STARTED_PIDS=()

# Installs the Debian packages that are missing (as root, or through sudo).
ensure_packages() {
    local missing=()
    for package in "${FCSYNTH_APT_PACKAGES[@]}" "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "installing ${missing[*]}" >&2
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Prints a loopback TCP port nothing listens on (bash alone: a fresh machine may lack python3).
free_port() {
    local port
    while true; do
        port=$((20000 + RANDOM % 40000))
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
    done
}

# Waits up to $2 seconds for something to accept connections on 127.0.0.1:$1.
wait_for_port() {
    local port=$1 deadline=$((SECONDS + ${2:-15}))
    until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
        [ $SECONDS -ge $deadline ] && return 1
        sleep 0.1
    done
}

# Starts a private redis-server on a free port in $1 (a scratch folder); sets REDIS_PORT.
start_redis() {
    local dir=$1
    REDIS_PORT=$(free_port)
    mkdir -p "$dir"
    printf 'port %s\nbind 127.0.0.1\ndir %s\nsave ""\nappendonly no\ndaemonize no\n' "$REDIS_PORT" "$dir" > "$dir/redis.conf"
    redis-server "$dir/redis.conf" > "$dir/redis.log" 2>&1 &
    FCSYNTH_STARTED_PIDS+=($!)
    wait_for_port "$REDIS_PORT" 15 || { cat "$dir/redis.log" >&2; return 1; }
}

# Starts the HTTP LLM simulator from binary $1 with extra flags; sets SIMULATOR_PORT.
start_simulator() {
    local binary=$1 dir=$2
    shift 2
    rm -f "$dir/simulator.port"
    "$binary" simulator --port 0 --port-file "$dir/simulator.port" --exit-with-parent "$@" > "$dir/simulator.log" 2>&1 &
    FCSYNTH_STARTED_PIDS+=($!)
    local deadline=$((SECONDS + 15))
    until [ -s "$dir/simulator.port" ]; do
        [ $SECONDS -ge $deadline ] && { cat "$dir/simulator.log" >&2; return 1; }
        sleep 0.1
    done
    SIMULATOR_PORT=$(cat "$dir/simulator.port")
}

# Stops what this script started, by PID.
stop_started() {
    local pid
    for pid in "${FCSYNTH_STARTED_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${FCSYNTH_STARTED_PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    FCSYNTH_STARTED_PIDS=()
}

# Makes the Python virtualenv the export tests run trainer-side readers in (scripts/test.d:
# pinned `datasets`, and LLaMA-Factory without its training stack) and sets FCSYNTH_TEST_PYTHON.
# Kept in .build/test-venv and rebuilt only when the pins change.
ensure_test_venv() {
    local venv="$FCSYNTH_ROOT/.build/test-venv" pins="$FCSYNTH_ROOT/scripts/test.d"
    local stamp
    stamp=$(cat "$pins/requirements.txt" "$pins/requirements-nodeps.txt" | sha256sum | cut -d' ' -f1)
    if [ "$(cat "$venv/.fcsynth-pins" 2>/dev/null)" != "$stamp" ]; then
        echo "installing the test venv in $venv" >&2
        rm -rf "$venv"
        python3 -m venv "$venv" 2>/dev/null || {
            ensure_packages python3 python3-venv
            /usr/bin/python3 -m venv "$venv"
        }
        "$venv/bin/pip" install -q --disable-pip-version-check -r "$pins/requirements.txt"
        "$venv/bin/pip" install -q --disable-pip-version-check --no-deps -r "$pins/requirements-nodeps.txt"
        echo "$stamp" > "$venv/.fcsynth-pins"
    fi
    export FCSYNTH_TEST_PYTHON="$venv/bin/python"
}
