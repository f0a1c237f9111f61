"""Where outputs may go: file names made from data that stay one plain name, and output folders apart from RAW."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from villagecon.errors import UsageError

__all__ = ["check_apart", "path_inside", "safe_file_name"]

# Names Windows keeps for devices, with or without an extension (CON, con.txt, COM1.png).
_WINDOWS_DEVICES = re.compile(r"(?:CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|COM[0-9¹²³]|LPT[0-9¹²³])(?:\..*)?", re.IGNORECASE)
_UNSAFE_CHARACTERS = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
# 255 bytes is the limit on Linux, macOS and Windows; a CJK character takes three bytes in UTF-8.
_NAME_BYTES = 200


def safe_file_name(name: object, *, replacement: str = "_") -> str:
    """A file name made from data (a county, a village) that stays one plain name on every system.

    Path separators, ``..``, control characters and ``< > : " | ? *`` become ``_``; names Windows keeps
    for devices (``CON``, ``nul.txt``, ``COM1``) get a leading ``_``; trailing dots and spaces (which
    Windows drops) go; a leading dot (a hidden file) becomes ``_``; the name is cut to 200 bytes.
    It can never name a parent folder, an absolute path, or nothing.

    Parameters
    ----------
    name : object
        Made into text with ``str``.
    replacement : str
        What stands for a character that cannot be in a name.

    Returns
    -------
    str

    Examples
    --------
    >>> safe_file_name("../../x"), safe_file_name("CON"), safe_file_name("汝城县/濠头乡"), safe_file_name("..")
    ('_._.._x', '_CON', '汝城县_濠头乡', '_')
    """
    text = unicodedata.normalize("NFC", str(name))
    text = _UNSAFE_CHARACTERS.sub(replacement, text).rstrip(". ")
    if text.startswith("."):
        text = replacement + text[1:]
    if _WINDOWS_DEVICES.fullmatch(text):
        text = replacement + text
    while len(text.encode("utf-8")) > _NAME_BYTES:
        text = text[:-1]
    return text.rstrip(". ") or replacement


def path_inside(folder: Path | str, name: object) -> Path:
    """``folder / safe_file_name(name)``, checked to be inside ``folder``.

    Parameters
    ----------
    folder : path-like
        The output folder.
    name : object
        A name made from data (a village, a county).

    Returns
    -------
    Path

    Raises
    ------
    UsageError
        The path would resolve outside ``folder`` (a link planted in it).
    """
    folder = Path(folder)
    path = folder / safe_file_name(name)
    if path.resolve().parent != folder.resolve():
        raise UsageError(f"{name!r} would be written outside {folder}")
    return path


def check_apart(raw: Path | str, out: Path | str) -> None:
    """Refuse an output folder that is the raw data, inside it, or holds it.

    Outputs written among the raw ledgers would be read back as ledgers by the next run, and a raw folder
    is meant to stay as it was delivered.

    Parameters
    ----------
    raw : path-like
        The folder of raw ledgers.
    out : path-like
        The output folder asked for.

    Raises
    ------
    UsageError
        ``out`` is ``raw``, lies inside it, or holds it.
    """
    raw_path, out_path = Path(raw).resolve(), Path(out).resolve()
    if raw_path == out_path:
        problem = f"the output folder {out} is the raw folder itself"
    elif out_path.is_relative_to(raw_path):
        problem = f"the output folder {out} is inside the raw folder {raw}"
    elif raw_path.is_relative_to(out_path):
        problem = f"the raw data {raw} are inside the output folder {out}"
    else:
        return
    raise UsageError(
        f"{problem}: outputs would land among the raw ledgers and be read back as ledgers by the next "
        "run. Choose an output folder apart from the raw data (--out), e.g. data/processed for clean "
        "and reports for report"
    )
