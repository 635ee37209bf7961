"""The `depeche` command itself: its version, and how bad settings and options are said."""

from __future__ import annotations

import contextlib
import gc
import os
import re
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import depeche
import pytest
from depeche.cli import main


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "depeche", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
    )


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"depeche {depeche.__version__}"
    assert depeche.__version__[0].isdigit() and depeche.__version__ != "0+unknown"


@pytest.mark.parametrize(
    ("args", "env", "says"),
    [
        (["translate", "-"], {"DEPECHE_BEAM_SIZE": "abc"}, "DEPECHE_BEAM_SIZE: Input should be"),
        (["serve"], {"DEPECHE_PORT": "http"}, "DEPECHE_PORT: Input should be"),
        (["translate", "in", "--concurrency", "0"], {}, "at least 1"),
        (["translate", "in", "--retries", "many"], {}, "'many' is not a whole number"),
        (["serve", "--port", "99999"], {}, "port: Input should be less than or equal to 65535"),
        (["translate"], {}, "the following arguments are required: file"),
        (["transl8"], {}, "invalid choice: 'transl8'"),
        (["translate", "-"], {"DEPECHE_CACHE_URL": "mysql://x"}, "DEPECHE_CACHE_URL: use sqlite"),
        (
            ["translate", "-"],
            {"DEPECHE_TRANSLATION_MODEL": "/nope"},
            "DEPECHE_TRANSLATION_MODEL: model folder /nope does not exist",
        ),
        (
            ["models", "list"],
            {"DEPECHE_SUMMARIZATION_MODEL": "./not-here"},
            "DEPECHE_SUMMARIZATION_MODEL: model folder ./not-here does not exist",
        ),
        (
            ["translate", "-"],
            {"DEPECHE_COMPUTE_TYPE": "int3"},
            "DEPECHE_COMPUTE_TYPE: Input should",
        ),
        (["models", "pull", "translator"], {}, "unknown model role 'translator'"),
    ],
)
def test_a_bad_setting_or_option_is_one_line_and_exit_2(
    args: list[str], env: dict[str, str], says: str
) -> None:
    done = run(*args, **env)
    assert done.returncode == 2, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert says in done.stderr and "Traceback" not in done.stderr


def test_users_import_depeche_and_no_top_level_service(tmp_path: Path) -> None:
    # A project of the user's own with a `service` package beside its script.
    (tmp_path / "service").mkdir()
    (tmp_path / "service" / "__init__.py").write_text("MINE = True\n")
    script = tmp_path / "job.py"
    script.write_text(
        "import depeche, service\n"
        "assert service.MINE\n"
        "print(depeche.__version__, depeche.Translator.__name__, depeche.Summarizer.__name__)\n"
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [depeche.__version__, "Translator", "Summarizer"]


@pytest.mark.parametrize(
    "args",
    [
        ["--version"],  # argparse exits
        ["translate", "in", "--retries", "many"],  # a usage error
        ["models", "list"],  # a command run to its end
    ],
)
def test_the_collector_runs_again_once_the_command_has_started(args: list[str]) -> None:
    try:
        with contextlib.suppress(SystemExit):
            main(args)
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0  # what the start made is left out of collections
    finally:
        gc.unfreeze()


@pytest.mark.parametrize(
    ("variable", "says"),
    [
        ("DEPECHE_BEAMSIZE", "did you mean DEPECHE_BEAM_SIZE?"),
        ("DEPECHE_CACHEURL", "did you mean DEPECHE_CACHE_URL?"),
        ("DEPECHE_WHATEVER", "is ignored"),
    ],
)
def test_a_variable_that_is_no_setting_is_a_warning(
    tmp_path: Path, variable: str, says: str
) -> None:
    done = run("models", "list", DEPECHE_MODELS_DIR=str(tmp_path), **{variable: "3"})
    assert done.returncode == 0, done.stderr
    [line] = done.stderr.strip().splitlines()
    assert line.startswith(f"depeche: warning: {variable} is not a setting") and says in line


class NotFound(BaseHTTPRequestHandler):
    """A Hub that has nothing: every request is a 404."""

    def do_GET(self) -> None:
        self.send_response(404)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"error": "Repository not found"}')

    do_HEAD = do_GET

    def log_message(self, *args: object) -> None:
        pass


def test_a_failed_download_says_what_failed_and_how_to_do_without(tmp_path: Path) -> None:
    hub = ThreadingHTTPServer(("127.0.0.1", 0), NotFound)
    threading.Thread(target=hub.serve_forever, daemon=True).start()
    environment = {
        k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "DEPECHE_OFFLINE")
    }
    environment |= {
        "HF_ENDPOINT": f"http://127.0.0.1:{hub.server_address[1]}",
        "DEPECHE_MODELS_DIR": str(tmp_path),
    }
    try:
        done = subprocess.run(
            [sys.executable, "-m", "depeche", "models", "pull", "translation"],
            capture_output=True,
            text=True,
            env=environment,
            timeout=120,
        )
    finally:
        hub.shutdown()
    assert done.returncode == 1
    [error] = [line for line in done.stderr.splitlines() if line.startswith("depeche: error:")]
    assert "could not download Helsinki-NLP/opus-mt-fr-en" in error and "404" in error
    assert "set DEPECHE_TRANSLATION_MODEL to a local Hugging Face model folder" in error
    assert "offline" not in error


@pytest.mark.parametrize("command", ["translate", "watch"])
def test_the_help_lists_the_default_file_patterns(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from depeche.folder import DEFAULT_PATTERNS

    with pytest.raises(SystemExit):
        main([command, "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    listed = re.search(r"--glob GLOB file pattern \(default: [^:]*: ([^)]*)\)", shown)
    assert listed is not None, shown
    assert sorted(listed.group(1).split(", ")) == sorted(DEFAULT_PATTERNS)
