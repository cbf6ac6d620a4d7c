"""What the fault tests share: the real processes, started so that they can be killed with SIGKILL (the web server
with its whole process group: gunicorn's master and its workers), a seeded random (the seed printed, so a failing
run can be repeated with ``BIANZHI_FAULT_SEED``), and the two commands a 系统管理员 runs after a crash.

To add a kind of fault run (issue 12's change sets, say), write one test that, per round, starts the work, kills
the process doing it at ``Faults.moment()`` with ``kill`` / ``Killable``, starts it again, and asserts that what
the client saw is what the database holds, all or nothing; then ``assert_consistent()`` once at the end.
"""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import time
from contextlib import suppress
from pathlib import Path

from tests.processes import BIANZHI, environment, free_port, wait_until

ROUNDS = int(os.environ.get("BIANZHI_FAULT_ROUNDS", "20"))  # kills per kind of work (issue 11: at least 20)


class Faults:
    """The seeded random every choice of a fault run comes from."""

    def __init__(self, kind: str):
        self.seed = int(os.environ.get("BIANZHI_FAULT_SEED") or random.SystemRandom().randrange(1, 2**31))
        self.random = random.Random(self.seed)
        # pytest shows it with the failure (captured output), and -s shows it as the run goes
        print(f"故障注入（{kind}）：随机种子 {self.seed}，重现：BIANZHI_FAULT_SEED={self.seed}")

    def moment(self, longest: float) -> float:
        """A random delay in [0, longest] seconds."""
        return self.random.uniform(0, longest)

    def __str__(self) -> str:
        return f"BIANZHI_FAULT_SEED={self.seed}"


class Killable:
    """A ``bianzhi`` process in a process group of its own, its output in a log file; ``kill`` SIGKILLs the group
    (the process and every child it started), as a power cut or the OOM killer would."""

    def __init__(self, log: Path, *args: str, **env: str):
        self.args = args
        self.log_path = log
        self.log = log.open("ab")
        self.process = subprocess.Popen(
            [BIANZHI, *args],
            env=environment(**env),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killpg reaches the gunicorn workers too
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def kill(self) -> None:
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.log.close()

    def stop(self) -> None:
        """The clean way (SIGTERM), for the end of a test."""
        if self.alive():
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


def serve(log: Path, workers: int = 2, **env: str) -> tuple[Killable, str]:
    """``bianzhi serve`` with several workers, killable as a group; returns it once it accepts connections."""
    port = free_port()
    server = Killable(
        log,
        "serve",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        **{"BIANZHI_ALLOWED_HOSTS": "127.0.0.1", **env},
    )

    def listening() -> bool:
        assert server.alive(), server.output()
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        except OSError:
            return False
        return True

    wait_until(listening, "bianzhi serve 开始监听")
    return server, f"http://127.0.0.1:{port}"


def worker(log: Path, **env: str) -> Killable:
    return Killable(log, "db_worker", "--no-startup-delay", "--interval", "0.2", **env)


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [BIANZHI, *args], env=environment(**env), capture_output=True, text=True, timeout=300, check=False
    )


def assert_consistent(faults: object, **env: str) -> None:
    """What a 系统管理员 runs after a crash: both must pass."""
    check = run("check", **env)
    assert check.returncode == 0, f"{faults}\n{check.stdout}\n{check.stderr}"
    verify = run("audit", "verify", **env)
    assert verify.returncode == 0, f"{faults}\n{verify.stdout}\n{verify.stderr}"


def elapsed(since: float) -> float:
    return time.monotonic() - since
