"""Shell completion, run in a real bash against the generated script."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from streams.cli import _parser, main
from streams.completion import script

BASH = shutil.which("bash")


def complete(words: list[str], cwd: Path | None = None) -> list[str]:
    """What bash offers for the last of `words` (a command line being typed)."""
    if BASH is None:
        pytest.fail("needs bash")
    line = " ".join(f"'{w}'" for w in words)
    program = (script(_parser(), "bash") + f"\nCOMP_WORDS=({line}); COMP_CWORD={len(words) - 1}\n"
               "_tollwatch_complete\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n")  # fmt: skip
    done = subprocess.run([BASH, "--norc", "-c", program], capture_output=True, text=True, timeout=20, cwd=cwd)
    assert done.returncode == 0, done.stderr
    return [w for w in done.stdout.splitlines() if w]


def test_subcommands_options_choices_and_files_complete(tmp_path: Path) -> None:
    assert complete(["tollwatch", "ta"]) == ["tail"]
    assert set(complete(["tollwatch", ""])) >= {"produce", "tail", "report", "config", "completion", "explain"}
    assert complete(["tollwatch", "tail", "--win"]) == ["--window"]
    assert complete(["tollwatch", "tail", "--window", ""]) == ["7d", "30d", "365d", "all"]
    assert "--skip-invalid" in complete(["tollwatch", "produce", "--"])
    assert complete(["tollwatch", "completion", "z"]) == ["zsh"]
    (tmp_path / "wire.xml").write_text("<rss/>")
    assert complete(["tollwatch", "produce", "wi"], cwd=tmp_path) == ["wire.xml"]
    assert complete(["tollwatch", "report", "--out", "w"], cwd=tmp_path) == ["wire.xml"]
    assert complete(["tollwatch", "tail", "--broker", ""], cwd=tmp_path) == []


def test_the_completion_command_prints_a_script_bash_accepts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["completion", "bash"]) == 0
    text = capsys.readouterr().out
    if BASH is None:
        pytest.fail("needs bash")
    done = subprocess.run([BASH, "--norc", "-c", text + "\ncomplete -p tollwatch"], capture_output=True, text=True,
                          timeout=20)  # fmt: skip
    assert done.returncode == 0 and "-F _tollwatch_complete tollwatch" in done.stdout, done.stderr
    assert main(["completion", "zsh"]) == 0
    assert capsys.readouterr().out.startswith("autoload -U +X bashcompinit && bashcompinit\n")


def test_every_subcommand_help_shows_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    parser = _parser()
    commands = [a for a in parser._actions if a.dest == "command"][0].choices  # noqa: SLF001
    assert commands
    for name in commands:
        with pytest.raises(SystemExit) as leave:
            main([name, "--help"])
        assert leave.value.code == 0
        assert "example" in capsys.readouterr().out, name
