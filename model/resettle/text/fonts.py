"""Fonts for figures in Chinese: find a CJK font matplotlib can use, and apply it per figure.

matplotlib keeps its own list of fonts, cached (``fontlist-*.json`` in its cache directory)
when it is first imported; a font installed after that, like ``fonts-noto-cjk`` installed by
``make test``, is not in the list. So :func:`cjk_family` looks first among the families
matplotlib knows, then asks fontconfig (``fc-list :lang=zh-cn``) and a few well-known paths for
a font file and registers it with ``fontManager.addfont`` (in this process only; nothing is
written to the cache). matplotlib >= 3.10 registers every face of a ``.ttc`` collection with
its index, so ``NotoSansCJK-Regular.ttc`` yields "Noto Sans CJK SC" (simplified Chinese glyph
forms) beside JP/KR/TC/HK; the SC face is preferred.

:func:`use_font` applies the family inside an ``rc_context`` around one figure: the global
``rcParams`` are never changed. English figures keep matplotlib's defaults.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import matplotlib
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

from resettle.errors import FontError
from resettle.text.labels import LABELS, SCENARIO_NAMES, check_lang

# Families with simplified-Chinese glyphs, best first (Noto Sans CJK SC is fonts-noto-cjk's).
CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "Noto Sans SC",
                "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "PingFang SC", "Microsoft YaHei",
                "SimHei", "Heiti SC", "Noto Sans CJK JP", "Source Han Sans")
# Where those fonts live when fontconfig cannot be asked (Debian, Fedora, Arch, macOS, Windows).
KNOWN_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/source-han-sans/SourceHanSans-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
)
LATIN_FALLBACK = "DejaVu Sans"  # matplotlib's own font: any glyph the CJK font lacks
INSTALL_HINT = ("no Chinese font found for --lang zh figures; install fonts-noto-cjk "
                "(Debian/Ubuntu: apt-get install fonts-noto-cjk) or any of "
                + ", ".join(CJK_FAMILIES[:9]))


def sample_text() -> str:
    """Every character of the Chinese labels (metrics, schemes, reports and the dashboard):
    what a font must cover."""
    from resettle.text import dashboard as dt
    from resettle.text.messages import MESSAGES

    texts = [*LABELS["zh"].values(), *SCENARIO_NAMES["zh"].values(),
             *(m["zh"] for m in MESSAGES.values()), *dt.TEXT["zh"].values(),
             *dt.CHOICES["zh"].values(), *dt.VILLAGES_ZH.values(),
             *dt.ORGANISATIONS_ZH.values(), *dt.COMPANY_ZH.values(), *dt.NAMED_ZH.values()]
    return "".join(sorted({c for t in texts for c in t if ord(c) > 0x2E7F}))


def covers(entry: font_manager.FontEntry, text: str) -> bool:
    """Whether the face of ``entry`` has a glyph for every character of ``text``."""
    try:
        charmap = FT2Font(entry.fname, face_index=entry.index).get_charmap()
    except (OSError, RuntimeError, ValueError):
        return False
    return all(ord(c) in charmap for c in text)


def candidate_files() -> list[str]:
    """Font files with Chinese glyphs: fontconfig's answer, then the well-known paths."""
    found: list[str] = []
    if shutil.which("fc-list"):
        try:
            out = subprocess.run(["fc-list", ":lang=zh-cn", "file"], capture_output=True,
                                 text=True, timeout=20, check=False).stdout
            found += sorted({line.split(":")[0].strip() for line in out.splitlines()
                             if line.strip()})
        except (OSError, subprocess.SubprocessError):
            pass
    found += [p for p in KNOWN_FILES if Path(p).is_file()]
    usable = (".ttf", ".otf", ".ttc", ".otc")
    return list(dict.fromkeys(f for f in found if f.lower().endswith(usable)))


def _best(text: str) -> str | None:
    """The best family matplotlib knows that covers ``text``, preferring CJK_FAMILIES' order."""
    by_name: dict[str, list[font_manager.FontEntry]] = {}
    for entry in font_manager.fontManager.ttflist:
        by_name.setdefault(entry.name, []).append(entry)
    ranked = [n for n in CJK_FAMILIES if n in by_name]
    ranked += sorted(n for n in by_name if n not in CJK_FAMILIES and "CJK" in n)
    for name in ranked:
        if any(covers(e, text) for e in by_name[name]):
            return name
    return None


@cache
def cjk_family() -> str:
    """A font family matplotlib can draw our Chinese labels with; FontError if there is none."""
    text = sample_text()
    name = _best(text)
    if name is not None:
        return name
    known = {e.fname for e in font_manager.fontManager.ttflist}
    for path in candidate_files():  # all of them: regular and bold weights of one family
        if path not in known:
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue
    name = _best(text)
    if name is None:
        raise FontError(INSTALL_HINT)
    return name


# Families that figures in English fall back on for characters of the names in use (a
# scenario or village named in Chinese, say): filled by check_fonts, for this process.
NAME_FALLBACKS: list[str] = []


def font_families(lang: str) -> list[str]:
    """The ``font.family`` list for figures in ``lang``."""
    if check_lang(lang) == "zh":
        return [cjk_family(), LATIN_FALLBACK, *NAME_FALLBACKS]
    return [*matplotlib.rcParams["font.family"], *NAME_FALLBACKS]


@contextmanager
def use_font(lang: str) -> Iterator[None]:
    """Draw the figures made inside this block with a font for ``lang`` (rcParams restored)."""
    if check_lang(lang) == "en" and not NAME_FALLBACKS:
        yield
        return
    with matplotlib.rc_context({"font.family": font_families(lang)}):
        yield


def check_fonts(langs: list[str] | tuple[str, ...],
                names: Mapping[str, Iterable[str]] | None = None) -> None:
    """Fail early (FontError, one line) when a requested language has no usable font, or
    when names that figures show (``names``: where they were set -> the names, e.g.
    ``"a.toml: [community] village_names"``) use characters that no installed font has; a
    font found for them is used as a fallback in every language."""
    for lang in langs:
        font_families(lang)
    for where, texts in (names or {}).items():
        missing = uncovered("".join(texts))
        if not missing:
            continue
        family = family_for(missing)
        if family is None:
            shown = "".join(sorted(set(missing))[:8])
            raise FontError(f"{where}: no installed font has the characters {shown!r}; install "
                            "a font for them (for Chinese: fonts-noto-cjk), or use other names")
        if family not in NAME_FALLBACKS:
            NAME_FALLBACKS.append(family)


def names_shown(scenarios: Iterable) -> dict[str, list[str]]:
    """The names figures may show, by where they were set (for :func:`check_fonts`): each
    scenario's name and its villages'."""
    names: dict[str, list[str]] = {}
    for s in scenarios:
        where = s.files[-1] if s.files else s.name
        names[f"{where}: [scenario] name"] = [s.name]
        names[f"{where}: [community] village_names"] = list(s.community.village_names)
    return names


def uncovered(text: str) -> str:
    """The characters of ``text`` that matplotlib's own font (DejaVu Sans) lacks."""
    chars = sorted({c for c in text if not c.isspace()})
    charmap = latin_charmap()
    if charmap is None:
        return "".join(c for c in chars if ord(c) > 0x7E)
    return "".join(c for c in chars if ord(c) not in charmap)


@cache
def latin_charmap() -> dict[int, int] | None:
    """The characters DejaVu Sans has (read once), or None if matplotlib lacks it."""
    dejavu = next((e for e in font_manager.fontManager.ttflist if e.name == LATIN_FALLBACK),
                  None)
    if dejavu is None:
        return None
    return FT2Font(dejavu.fname, face_index=dejavu.index).get_charmap()


def family_for(text: str) -> str | None:
    """A family that has every character of ``text``: the CJK families first (registered with
    matplotlib if installed where fontconfig knows them), then any other installed family."""
    try:
        cjk_family()  # registers the installed CJK fonts with matplotlib
    except FontError:
        pass
    found = _best(text)
    if found is not None:
        return found
    seen: set[str] = set()
    for entry in font_manager.fontManager.ttflist:
        if entry.name not in seen:
            seen.add(entry.name)
            if covers(entry, text):
                return entry.name
    return None


def with_font[T](draw: Callable[..., T]) -> Callable[..., T]:
    """Decorator for a figure function with a keyword ``lang``: the whole function (drawing
    and saving) runs inside :func:`use_font` for that language."""
    @functools.wraps(draw)
    def wrapper(*args: object, lang: str = "en", **kwargs: object) -> T:
        with use_font(lang):
            return draw(*args, lang=lang, **kwargs)
    return wrapper
