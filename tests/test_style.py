"""villagecon.report.style: Chinese renders (no "Glyph missing"), minus signs render, matplotlib untouched."""

from __future__ import annotations

import hashlib
import warnings
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import pytest
from matplotlib import font_manager
from pylopdf_fonts_zh_cn import sans_path

from villagecon.report import style


@pytest.fixture
def fresh_font_choice():
    style.cjk_font.cache_clear()
    yield
    style.cjk_font.cache_clear()


def _installation_fingerprint() -> str:
    """Names, sizes and mtimes of every file matplotlib ships (fonts, matplotlibrc)."""
    data = Path(mpl.get_data_path())
    listing = sorted(
        f"{p.relative_to(data)} {p.stat().st_size} {p.stat().st_mtime_ns}" for p in data.rglob("*") if p.is_file()
    )
    return hashlib.sha256("\n".join(listing).encode()).hexdigest()


def test_chinese_titles_ticks_and_negative_numbers_draw_without_missing_glyphs():
    before = _installation_fingerprint()
    family = style.use()
    figure, ax = plt.subplots()
    ax.bar(["上河村", "塔水村", "排山村"], [-4.2, 40.5, 12.0])
    ax.set_title("村集体经济收入（万元）")
    ax.set_ylabel("负债与收入")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure.canvas.draw()
    plt.close(figure)
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert missing == []
    assert [t.get_text() for t in ax.get_xticklabels()] == ["上河村", "塔水村", "排山村"]
    assert mpl.rcParams["font.sans-serif"][0] == family
    assert mpl.rcParams["axes.unicode_minus"] is False
    assert _installation_fingerprint() == before  # nothing written into matplotlib's own files


def test_the_chosen_font_file_has_every_glyph_of_the_probe():
    family, path = style.cjk_font()
    font = mpl.ft2font.FT2Font(str(path))
    assert all(font.get_char_index(ord(c)) for c in "上河村负债收入书记兼主任")
    assert family in style.PREFERRED_FONTS


def test_an_installed_cjk_font_is_preferred_to_the_bundled_one(monkeypatch, fresh_font_choice):
    simhei = font_manager.FontEntry(fname=str(sans_path()), name="SimHei")
    others = [f for f in font_manager.fontManager.ttflist if f.name not in style.PREFERRED_FONTS]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [*others, simhei])
    assert style.cjk_font() == ("SimHei", Path(sans_path()))


def test_without_an_installed_cjk_font_the_bundled_noto_sans_sc_is_registered(monkeypatch, fresh_font_choice):
    latin_only = [f for f in font_manager.fontManager.ttflist if f.name not in style.PREFERRED_FONTS]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", latin_only)
    family, path = style.cjk_font()
    assert (family, path) == ("Noto Sans SC", Path(sans_path()))
    assert any(f.name == "Noto Sans SC" for f in font_manager.fontManager.ttflist)


def test_a_font_without_chinese_glyphs_does_not_count(monkeypatch, fresh_font_choice):
    dejavu = font_manager.findfont("DejaVu Sans")
    impostor = font_manager.FontEntry(fname=dejavu, name="Microsoft YaHei")
    others = [f for f in font_manager.fontManager.ttflist if f.name not in style.PREFERRED_FONTS]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [impostor, *others])
    assert style.cjk_font()[0] == "Noto Sans SC"
