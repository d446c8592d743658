"""SECURITY.md names the tests that prove each protection: every one it names must exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_test_file_security_md_names_exists():
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(tests/[\w/]+\.py)`", text))

    assert named, "SECURITY.md names no tests"
    assert sorted(p for p in named if not (ROOT / p).is_file()) == []


def test_security_md_gives_a_contact_and_the_disclosure_period():
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")

    assert "security@oversight.example.kz" in text
    assert "90 days" in text
