"""mkdocs hook: the Sphinx roles of numpydoc docstrings (``:func:`read_ledger```) as links, not literal text.

Markdown renders ``:func:`x``` as the text ``:func:`` before ``<code>x</code>``. This turns each into an optional
cross-reference: a link where ``x`` is a documented object (``villagecon.read_ledger``), else the code alone.
``~a.b.c`` shows ``c``, as in Sphinx. A paragraph ending in ``::`` (reStructuredText's "a code block follows")
ends in one colon.
"""

from __future__ import annotations

import html
import re

_ROLE = re.compile(r":(?:py:)?(?:mod|func|class|meth|attr|data|exc|obj|const):<code>(~?)\.?([^<]+)</code>")
_LITERAL_BLOCK = re.compile(r"::</p>")


def _reference(match: re.Match[str]) -> str:
    short, target = match.group(1), html.unescape(match.group(2))
    shown = target.rsplit(".", 1)[-1] if short else target
    return f'<autoref optional identifier="{html.escape(target)}"><code>{html.escape(shown)}</code></autoref>'


def on_page_content(html_text: str, **_: object) -> str:
    return _LITERAL_BLOCK.sub(":</p>", _ROLE.sub(_reference, html_text))
