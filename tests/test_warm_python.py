"""The warm start (tests/warm_python.py) runs a command as a new interpreter does: the same output,
exit code and streams as `subprocess` with a real `python`, for the ways the tests' commands end."""
from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from tests import warm_python

SCRIPTS = {
    "ends": "import sys, os\nprint(sys.argv[1:], os.getcwd(), os.environ['JM_WARM'])\n"
            "print(sys.path[0] == os.path.dirname(os.path.abspath(__file__)))\nprint(input(), file=sys.stderr)\n",
    "exit_code": "raise SystemExit(3)\n",
    "exit_message": "import sys\nsys.exit('fout: een regel')\n",
    "exception": "def fails():\n    raise ValueError('kapot')\nfails()\n",
    "thread": "import threading, time\nthreading.Thread(target=lambda: (time.sleep(0.2), print('draad'))).start()\n",
    "atexit": "import atexit\natexit.register(print, 'bij het einde')\nprint('eerst')\n",
    "main": "import sys\nprint(__name__, sys.modules['__main__'].__file__ == __file__)\n",
}


def both(cmd, **kwargs):
    real = subprocess.run(cmd, **kwargs)
    warm = warm_python.run(cmd, **kwargs)
    return real, warm


@pytest.mark.parametrize("name", SCRIPTS)
def test_a_script_ends_as_in_a_new_interpreter(name, tmp_path):
    script = tmp_path / f"{name}.py"
    script.write_text(SCRIPTS[name])
    real, warm = both([sys.executable, str(script), "a", "b"], cwd=tmp_path, input="invoer\n", capture_output=True,
                      text=True, env={**warm_python.os.environ, "JM_WARM": "ja"}, timeout=60)
    assert (warm.returncode, warm.stdout, warm.stderr) == (real.returncode, real.stdout, real.stderr)


def test_input_the_command_never_reads_is_dropped_as_subprocess_drops_it(tmp_path):
    # the command ends before it reads: writing more than a pipe holds then breaks the pipe
    script = tmp_path / "leaves.py"
    script.write_text("import sys\nsys.exit('fout: een regel')\n")
    real, warm = both([sys.executable, str(script)], cwd=tmp_path, input="x" * 4_000_000, capture_output=True,
                      text=True, timeout=60)
    assert real.returncode == 1
    assert (warm.returncode, warm.stdout, warm.stderr) == (real.returncode, real.stdout, real.stderr)


def test_a_module_runs_as_with_dash_m(tmp_path):
    real, warm = both([sys.executable, "-m", "data", "bestaat-niet"], cwd=warm_python.ROOT, capture_output=True,
                      text=True, timeout=60)
    assert real.returncode == 2
    assert (warm.returncode, warm.stdout, warm.stderr) == (real.returncode, real.stdout, real.stderr)


def test_stderr_into_stdout_and_a_stop_by_signal(tmp_path):
    script = tmp_path / "waits.py"
    script.write_text("import sys, time\nprint('uit'); print('fout', file=sys.stderr); sys.stdout.flush()\n"
                      "sys.stderr.flush(); time.sleep(60)\n")
    log = tmp_path / "log"
    with open(log, "w") as out:
        process = warm_python.Popen([sys.executable, str(script)], cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT)
    assert isinstance(process, warm_python.WarmProcess)
    deadline = time.monotonic() + 30
    while log.read_text().count("\n") < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None
    with pytest.raises(subprocess.TimeoutExpired):
        process.wait(timeout=0.1)
    process.terminate()
    assert process.wait(timeout=30) == -signal.SIGTERM
    assert sorted(log.read_text().splitlines()) == ["fout", "uit"]


def test_what_it_does_not_imitate_starts_a_real_interpreter(tmp_path):
    assert not isinstance(warm_python.Popen([sys.executable, "-c", "pass"]), warm_python.WarmProcess)
    other = {**warm_python.os.environ, "PYTHONHASHSEED": "1"}
    process = warm_python.Popen([sys.executable, "-m", "data", "--help"], env=other, stdout=subprocess.DEVNULL)
    assert not isinstance(process, warm_python.WarmProcess)
    process.wait()
