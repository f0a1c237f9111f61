"""Chart style: a CJK font that draws Chinese (no tofu boxes), minus signs that render, one look.

``use()`` picks the first installed CJK font of :data:`PREFERRED_FONTS` (Noto Sans CJK on Debian with
fonts-noto-cjk, SimHei or Microsoft YaHei on Windows, PingFang on macOS, ...). Where none is installed it
registers Noto Sans SC from the ``pylopdf-fonts-zh-cn`` dependency (SIL Open Font License 1.1) with this
process's font manager. It changes rcParams only: the matplotlib installation and its font cache on disk
are never modified.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

__all__ = ["PREFERRED_FONTS", "cjk_font", "use"]

# Families that cover Simplified Chinese, best first.
PREFERRED_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Microsoft YaHei",
    "PingFang SC",
    "SimHei",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Noto Sans CJK JP",
    "Source Han Sans",
    "Heiti SC",
    "STHeiti",
    "Arial Unicode MS",
)

# A font must draw these to count as a CJK font (names of the report's charts and places).
_PROBE = "村集体经济收入万元书记任期郴州"


@cache
def cjk_font() -> tuple[str, Path]:
    """(family, file) of the CJK font charts use: an installed one, else the bundled Noto Sans SC."""
    installed = {entry.name: Path(entry.fname) for entry in font_manager.fontManager.ttflist}
    for family in PREFERRED_FONTS:
        if family in installed and _draws_chinese(installed[family]):
            return family, installed[family]
    from pylopdf_fonts_zh_cn import sans_path

    bundled = Path(sans_path())
    font_manager.fontManager.addfont(str(bundled))  # this process only; nothing is written to disk
    return font_manager.FontProperties(fname=str(bundled)).get_name(), bundled


def _draws_chinese(path: Path) -> bool:
    try:
        font = FT2Font(str(path))
    except (OSError, RuntimeError):
        return False
    return all(font.get_char_index(ord(character)) for character in _PROBE)


def use() -> str:
    """Set matplotlib's rcParams for villagecon's charts; returns the CJK font family in use.

    >>> use() in PREFERRED_FONTS
    True

    Returns
    -------
    str
        The CJK font family the charts use (:func:`cjk_font`).
    """
    family, _ = cjk_font()
    mpl.rcParams.update(
        {
            "font.family": "sans-serif",
            # The CJK font first: it has Latin letters and digits too, so text is set in one face.
            "font.sans-serif": [family, *[f for f in mpl.rcParams["font.sans-serif"] if f != family]],
            # CJK fonts often lack U+2212 MINUS SIGN; the ASCII hyphen renders everywhere.
            "axes.unicode_minus": False,
            "figure.dpi": 100,
            "savefig.dpi": 200,
            "savefig.bbox": "tight",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.titleweight": "normal",  # the bundled Noto Sans SC has no bold face
            "axes.titlesize": "large",
            "svg.fonttype": "path",  # SVGs look the same on machines without the font
            "svg.hashsalt": "villagecon",  # deterministic SVG ids
        }
    )
    return family
