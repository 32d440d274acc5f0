"""`python ARGS` for the tests, started as a fork of a Python that has already imported the
libraries every process of the product imports (Dash, Flask, plotly, pandas, NumPy, SQLAlchemy, Alembic,
psycopg, redis): the same command line, environment, working folder and standard streams as
`subprocess.run` / `subprocess.Popen`, without the ~0.3–0.7 s of CPU those imports cost each
process (an app's start is a third cheaper). The product's own modules are imported afresh in every
started process, as in a new interpreter; only third-party libraries that read no setting when
imported are imported ahead (not prometheus_client, not gunicorn: both read the environment then).

What it does not imitate falls back to `subprocess` itself: `python -c`, interpreter options, a
PYTHON* or locale variable that differs from this process's. tests/test_start_settings.py and
the lint test keep starting real interpreters.

One server per test process, started at first use, ended with the test process. Protocol on a Unix
socket: the client sends a JSON request (argv, cwd, env) with its three standard streams as file
descriptors; the server forks, answers the child's pid, and later its wait status.
"""
from __future__ import annotations

import atexit
import contextlib
import json
import os
import select
import selectors
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRELOAD = ("numpy", "pandas", "sqlalchemy", "sqlalchemy.dialects.postgresql", "sqlalchemy.dialects.sqlite",
           "psycopg", "flask", "werkzeug", "plotly", "plotly.graph_objects", "dash", "dash_bootstrap_components",
           "alembic.command", "alembic.config", "alembic.migration", "alembic.script", "mako.template", "redis",
           "orjson")
# the environment variables a new interpreter reads while it starts: where they differ from this
# process's, the warm one would not behave as a new one
_STARTUP_VARIABLES = ("LANG", "LC_ALL", "LC_CTYPE")


# --- the server ------------------------------------------------------------------------------------

def _serve(path: str, parent: int) -> None:
    import importlib

    for name in PRELOAD:
        with suppress(ImportError):  # a library that is not installed is simply not imported ahead
            importlib.import_module(name)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(16)
    print("ready", flush=True)
    waiting = selectors.DefaultSelector()
    waiting.register(listener, selectors.EVENT_READ, None)
    while os.getppid() == parent:  # ends with the test process that started it
        for key, _ in waiting.select(timeout=1.0):
            if key.data is None:
                connection, _ = listener.accept()
                request, fds = _receive(connection)
                pid = os.fork()
                if pid == 0:
                    waiting.close()
                    listener.close()
                    connection.close()
                    _run_child(request, fds)  # does not return
                for fd in fds:
                    os.close(fd)
                connection.sendall(f"{pid}\n".encode())
                pidfd = os.pidfd_open(pid)
                waiting.register(pidfd, selectors.EVENT_READ, (pid, connection))
            else:
                pid, connection = key.data
                _, status = os.waitpid(pid, 0)
                waiting.unregister(key.fd)
                os.close(key.fd)
                try:
                    connection.sendall(f"{status}\n".encode())
                except OSError:
                    pass  # the test process stopped waiting
                connection.close()


def _receive(connection: socket.socket) -> tuple[dict, list[int]]:
    head, fds, _, _ = socket.recv_fds(connection, 8, 3)
    (size,) = struct.unpack("!Q", head)
    body = b""
    while len(body) < size:
        body += connection.recv(size - len(body))
    return json.loads(body), list(fds)


def _run_child(request: dict, fds: list[int]) -> None:
    """In the fork: become `python ARGS` as a new interpreter would run it, then exit as it would."""
    import runpy

    code = 1
    try:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        os.closerange(3, 1 << 16)  # as subprocess's close_fds: the server's sockets and pidfds, the fds sent
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        with suppress(ImportError):  # without NumPy there is no generator to seed
            import numpy

            numpy.random.seed()  # a new interpreter's generator is seeded afresh; a fork copies the server's
        args = request["args"]
        try:
            if args[0] == "-m":
                sys.argv = [args[1], *args[2:]]
                sys.path[0] = os.getcwd()
                runpy.run_module(args[1], run_name="__main__", alter_sys=True)
            else:
                sys.argv = list(args)
                sys.path[0] = os.path.dirname(os.path.abspath(args[0]))
                runpy.run_path(args[0], run_name="__main__")
            code = 0
        except SystemExit as exc:
            code = _exit_code(exc.code)
        except BaseException as exc:
            tb = exc.__traceback__  # the command's frames only, as a new interpreter prints them
            while tb is not None and (tb.tb_frame.f_code.co_filename in (__file__, runpy.__file__)
                                      or tb.tb_frame.f_code.co_filename.endswith("runpy>")):
                tb = tb.tb_next
            sys.excepthook(type(exc), exc.with_traceback(tb), tb)
            code = 1
        threading._shutdown()  # as at interpreter exit: wait for the threads that are not daemons
        atexit._run_exitfuncs()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with suppress(Exception):  # as the interpreter at exit: a stream that cannot be flushed is let be
                stream.flush()
        os._exit(code)


def _exit_code(value) -> int:
    if value is None:
        return 0
    if isinstance(value, int):
        return value & 0xFF
    print(value, file=sys.stderr)
    return 1


# --- the client --------------------------------------------------------------------------------------

class _Server:
    process: subprocess.Popen | None = None
    path: str = ""


def _server_path() -> str | None:
    """The running server's socket, started now if need be; None where it cannot run (no pidfd)."""
    if not hasattr(os, "pidfd_open") or not hasattr(socket, "send_fds"):
        return None
    if _Server.process is None or _Server.process.poll() is not None:
        folder = tempfile.mkdtemp(prefix="warm-python-")
        path = os.path.join(folder, "socket")
        process = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), path, str(os.getpid())],
                                   cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL)
        if process.stdout.readline() != b"ready\n":
            process.wait()
            return None
        process.stdout.close()
        _Server.process, _Server.path = process, path
        atexit.register(process.terminate)
    return _Server.path


def _warm_args(cmd) -> list[str] | None:
    """The arguments after `python` when the warm server can run `cmd`, else None."""
    if not cmd or cmd[0] != sys.executable or len(cmd) < 2:
        return None
    args = [str(a) for a in cmd[1:]]
    if args[0] == "-m":
        return args if len(args) >= 2 else None
    return None if args[0].startswith("-") else args


def _same_startup(env: dict) -> bool:
    names = {k for k in (*env, *os.environ) if k.startswith("PYTHON") or k in _STARTUP_VARIABLES}
    return all(env.get(k) == os.environ.get(k) for k in names)


class WarmProcess:
    """What the tests use of subprocess.Popen: pid, args, returncode, poll, wait, terminate, kill,
    communicate, stdout/stderr pipes, and the context manager."""

    def __init__(self, args: list[str], cmd, cwd, env: dict, stdin, stdout, stderr, text: bool):
        self.args, self.returncode, self._text = cmd, None, text
        self.stdin = self.stdout = self.stderr = None
        keep: list[int] = []   # our ends of pipes
        give: list[int] = []   # the child's three descriptors
        close_after: list[int] = []
        for number, spec in enumerate((stdin, stdout, stderr)):
            if spec == subprocess.STDOUT:
                give.append(give[1])
            elif spec == subprocess.PIPE:
                read, write = os.pipe()
                ours, theirs = (write, read) if number == 0 else (read, write)
                keep.append(ours)
                give.append(theirs)
                close_after.append(theirs)
                mode = "w" if number == 0 else "r"
                stream = open(ours, mode + ("" if text else "b"), **({"encoding": "utf-8"} if text else {}))
                setattr(self, ("stdin", "stdout", "stderr")[number], stream)
            elif spec == subprocess.DEVNULL:
                fd = os.open(os.devnull, os.O_RDWR)
                give.append(fd)
                close_after.append(fd)
            elif spec is None:
                give.append(number)
            elif isinstance(spec, int):
                give.append(spec)
            else:
                give.append(spec.fileno())
        self._connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._connection.connect(_Server.path)
        body = json.dumps({"args": args, "cwd": str(cwd or os.getcwd()), "env": env}).encode()
        socket.send_fds(self._connection, [struct.pack("!Q", len(body))], give)
        self._connection.sendall(body)
        for fd in close_after:
            os.close(fd)
        self._buffer = b""
        self.pid = int(self._line(None))

    def _line(self, timeout: float | None) -> bytes | None:
        """The server's next line; None when none came within `timeout`; b"" when it hung up."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not select.select([self._connection], [], [], left)[0]:
                return None
            chunk = self._connection.recv(4096)
            if not chunk:
                return b""
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line

    def poll(self) -> int | None:
        if self.returncode is None and (line := self._line(0)) is not None:
            self._finish(line)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            line = self._line(timeout)
            if line is None:
                raise subprocess.TimeoutExpired(self.args, timeout)
            self._finish(line)
        return self.returncode

    def _finish(self, line: bytes) -> None:
        # no status: the server ended before the child (it ends with the test process)
        self.returncode = os.waitstatus_to_exitcode(int(line)) if line else -signal.SIGKILL
        self._connection.close()

    def send_signal(self, number: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, number)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def communicate(self, input=None, timeout: float | None = None):
        out, err = [], []
        readers = [threading.Thread(target=lambda s=s, into=into: into.append(s.read()), daemon=True)
                   for s, into in ((self.stdout, out), (self.stderr, err)) if s is not None]
        for reader in readers:
            reader.start()
        if self.stdin is not None:
            # a command that ends before it reads breaks the pipe: subprocess drops that input too
            try:
                if input:
                    self.stdin.write(input)
                self.stdin.close()
            except BrokenPipeError:
                self._close_quietly(self.stdin)
        for reader in readers:
            reader.join(timeout)
            if reader.is_alive():
                raise subprocess.TimeoutExpired(self.args, timeout)
        self.wait(timeout)
        for stream in (self.stdout, self.stderr):
            if stream is not None:
                stream.close()
        return (out[0] if self.stdout is not None else None), (err[0] if self.stderr is not None else None)

    @staticmethod
    def _close_quietly(stream) -> None:
        with contextlib.suppress(BrokenPipeError):  # the child ended unread, as subprocess allows
            stream.close()

    def __enter__(self):
        return self

    def __exit__(self, *_exc) -> None:
        for stream in (self.stdin, self.stdout, self.stderr):
            if stream is not None:
                self._close_quietly(stream)
        self.wait()


def Popen(cmd, *, cwd=None, env=None, stdin=None, stdout=None, stderr=None, text=False, **rest):
    """subprocess.Popen(cmd, …), warm when it can be."""
    args = _warm_args(cmd)
    full_env = dict(os.environ if env is None else env)
    if args is None or rest or not _same_startup(full_env) or _server_path() is None:
        return subprocess.Popen(cmd, cwd=cwd, env=env, stdin=stdin, stdout=stdout, stderr=stderr, text=text, **rest)
    return WarmProcess(args, cmd, cwd, full_env, stdin, stdout, stderr, text)


def run(cmd, *, input=None, capture_output=False, timeout=None, check=False, cwd=None, env=None,
        text=False, stdout=None, stderr=None) -> subprocess.CompletedProcess:
    """subprocess.run(cmd, …), warm when it can be."""
    if capture_output:
        stdout = stderr = subprocess.PIPE
    stdin = subprocess.PIPE if input is not None else None
    with Popen(cmd, cwd=cwd, env=env, stdin=stdin, stdout=stdout, stderr=stderr, text=text) as process:
        try:
            out, err = process.communicate(input, timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise
    done = subprocess.CompletedProcess(cmd, process.returncode, out, err)
    if check:
        done.check_returncode()
    return done


if __name__ == "__main__":
    _serve(sys.argv[1], int(sys.argv[2]))
