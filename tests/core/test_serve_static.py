"""``bianzhi serve`` collects the static files as it starts, but only when they changed: compressing them all again
took seconds, and a server restarted after a crash (or by systemd) must answer again at once."""

from __future__ import annotations

import pytest

from bianzhi.core.management.commands.serve import collect_static

pytestmark = pytest.mark.no_database


def test_static_files_are_collected_again_only_when_one_changed(settings, tmp_path):
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "site.css").write_text("body { color: #111; }")
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, extra]
    settings.STATIC_ROOT = tmp_path / "static"
    collect_static()
    copied = settings.STATIC_ROOT / "site.css"
    assert copied.read_text() == "body { color: #111; }"

    copied.unlink()  # not noticed: the sources did not change, nothing is collected
    collect_static()
    assert not copied.exists()

    (extra / "site.css").write_text("body { color: #222; }")
    collect_static()
    assert copied.read_text() == "body { color: #222; }"
