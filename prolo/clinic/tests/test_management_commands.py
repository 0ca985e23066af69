"""Every management command of the project: its --help, and how the README's commands start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command, get_commands

ROOT = Path(__file__).resolve().parents[3]
MANAGE = ROOT / "manage.py"
OURS = sorted(name for name, app in get_commands().items() if app.startswith("prolo"))


def test_the_project_has_commands_to_check():
    assert {"compound", "ceiling", "reminders"} <= set(OURS)


@pytest.mark.parametrize("name", OURS)
def test_every_command_prints_its_help(name, capsys):
    with pytest.raises(SystemExit) as done:
        call_command(name, "--help")
    assert done.value.code == 0
    assert f" {name} [-h]" in capsys.readouterr().out


def shell(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """manage.py as a fresh clone runs it: no DEBUG, no SECRET_KEY, unless `env` says so."""
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    return subprocess.run(
        [sys.executable, str(MANAGE), *args],
        capture_output=True,
        text=True,
        env=clean | env,
        cwd=ROOT,
        check=False,
        timeout=120,
    )


def test_the_readme_safety_commands_run_on_a_fresh_clone():
    done = shell("compound", "--volume", "10", "--dextrose", "15", "--lidocaine", "0.5")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Syringe: 10.0 mL")
    done = shell("ceiling", "--weight", "70", "--agent", "lidocaine", "--given-ml", "12")
    assert "SECRET_KEY" not in done.stderr


def test_a_server_still_refuses_to_start_without_a_key():
    done = shell("runserver", "--noreload", "127.0.0.1:1")
    assert done.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in done.stderr
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    wsgi = subprocess.run(
        [sys.executable, "-c", "import prolo.wsgi"],
        capture_output=True,
        text=True,
        env=clean,
        cwd=ROOT,
        check=False,
        timeout=120,
    )
    assert "SECRET_KEY must be set when DEBUG is off" in wsgi.stderr


PROBE = """
import sys
import django
from django.core.management import call_command
django.setup()
call_command(*sys.argv[1:])
print("weasyprint" in sys.modules, file=sys.stderr)
"""


@pytest.mark.parametrize("args", [("check",), ("compound", "--volume", "10", "--dextrose", "15")])
def test_a_command_does_not_load_the_pdf_library(args):
    # WeasyPrint alone took most of a command's start-up time: only a PDF may load it.
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        env=os.environ | {"DJANGO_SETTINGS_MODULE": "prolo.settings", "DEBUG": "1"},
        cwd=ROOT,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "False"
