#!/usr/bin/env bash
# A throwaway Redis on loopback, for CI and the two-server test.
#   scripts/redis.sh start DIR PORT   -> prints the REDIS_URL to use
#   scripts/redis.sh stop DIR
# Uses Debian's redis-server package (apt-get install -y redis-server). Listens on 127.0.0.1
# only, keeps nothing on disk (a cache and counters), and writes its pid and log in DIR.
set -euo pipefail
cmd=${1:?start|stop}
dir=${2:?dir}
mkdir -p "$dir" && dir=$(cd "$dir" && pwd)
port=${3:-6390}

case "$cmd" in
start)
    command -v redis-server >/dev/null || { echo "Redis is not installed (apt-get install -y redis-server)" >&2; exit 1; }
    if [ -f "$dir/redis.pid" ] && kill -0 "$(cat "$dir/redis.pid")" 2>/dev/null; then
        port=$(cat "$dir/redis.port")
    else
        redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
            --daemonize yes --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null
        echo "$port" >"$dir/redis.port"
        for _ in $(seq 50); do  # up to 5 s
            redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG && break
            sleep 0.1
        done
        redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG \
            || { echo "redis-server did not answer on port $port; see $dir/redis.log" >&2; exit 1; }
    fi
    echo "redis://127.0.0.1:$port/0"
    ;;
stop)
    if [ -f "$dir/redis.pid" ]; then
        pid=$(cat "$dir/redis.pid")
        # Redis closes its port and then removes its pid file: it is done then, though its
        # process lingers about two seconds more before it exits.
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 50); do
            [ -f "$dir/redis.pid" ] && kill -0 "$pid" 2>/dev/null || break
            sleep 0.05
        done
        rm -f "$dir/redis.pid"
    fi
    ;;
*) echo "usage: $0 start|stop DIR [PORT]" >&2; exit 2 ;;
esac
