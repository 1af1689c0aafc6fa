"""The README's promises that a newcomer acts on: two set-up commands, the staff login before the first step
that needs it, and how to serve on another port (issue 13, item 9)."""

import re
from pathlib import Path

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = README.index(f"## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else None]


def test_the_readme_shows_exactly_two_set_up_commands():
    blocks = re.findall(r"```\w*\n(.*?)```", README, re.S)
    assert [block.strip() for block in blocks] == ["make run", "make test"]


def test_try_it_gives_the_staff_login_before_the_first_step_that_needs_it():
    try_it = _section("Try it")
    first_staff_page = try_it.index("/staff/")
    login = try_it.index("user `staff`")
    assert login < first_staff_page
    assert "changepassword staff" in try_it[:first_staff_page]


def test_try_it_says_how_to_use_another_port():
    try_it = _section("Try it")
    assert "podium run --port 8001" in try_it
    assert "PODIUM_PORT=8001 make run" in try_it
    assert "http://127.0.0.1:8001" in try_it
