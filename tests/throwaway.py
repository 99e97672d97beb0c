"""Throwaway services on loopback for tests: a free port, a Redis (scripts/redis.sh, Debian's
redis-server) that keeps nothing on disk."""

import socket
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_sh(action, folder, *args):
    """The command line of scripts/redis.sh `action` for a Redis kept in `folder`."""
    return ["bash", str(ROOT / "scripts" / "redis.sh"), action, str(folder), *map(str, args)]


def start_redis(folder):
    """A Redis on a free port, its files in `folder`: its URL (stop it with redis_sh("stop"))."""
    return subprocess.run(
        redis_sh("start", folder, free_port()), check=True, stdout=subprocess.PIPE, text=True
    ).stdout.strip()
