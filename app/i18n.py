"""Languages of the UI: Qt translators, the system locale, and the translation catalogue.

The English text in the code is the source; ``resources/i18n/propscope_ko.ts``
(Qt Linguist's XML, editable with ``pyside6-linguist``) holds the Korean, and
``propscope_ko.qm`` is its compiled form, which ``QTranslator`` loads.
``python -m app.i18n`` re-extracts the source strings from ``app/``,
``widgets/`` and ``settings/``, keeps the existing translations, marks new strings unfinished,
and recompiles the ``.qm`` with ``pyside6-lrelease``.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

ROOT = Path(__file__).resolve().parents[1]
I18N_DIR = ROOT / "resources" / "i18n"
CONTEXT = "Propscope"
#: code → name shown in the menu (each in its own language).
LANGUAGES = {"en": "English", "ko": "한국어"}
SOURCE_DIRS = ("app", "widgets", "settings")
#: Calls whose first string argument is translatable source text.
_TR_CALLS = {"tr", "tr_noop", "bind", "label", "row"}

_installed: list[QTranslator] = []


def system_language(locale: QLocale | None = None) -> str:
    """The UI language for the system locale: Korean for a Korean locale, else English."""
    locale = locale or QLocale.system()
    return "ko" if locale.language() == QLocale.Language.Korean else "en"


def resolve_language(setting: str | None, locale: QLocale | None = None) -> str:
    """A stored setting ("system", "en", "ko" or nothing) → the language to use."""
    return setting if setting in LANGUAGES else system_language(locale)


def qm_path(code: str) -> Path:
    return I18N_DIR / f"propscope_{code}.qm"


def install_language(code: str) -> str:
    """Make ``code`` the UI language of the running application; returns what is in use.

    English needs no translator. For Korean, Propscope's catalogue and Qt's own
    (``qtbase_ko``: the Yes/No/Cancel buttons and file dialogs) are installed.
    Qt then sends every widget a ``LanguageChange`` event, on which the widgets
    set their texts again.
    """
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("install_language needs a QApplication.")
    while _installed:
        app.removeTranslator(_installed.pop())
    if code == "en" or code not in LANGUAGES:
        return "en"
    ours = QTranslator(app)
    if not ours.load(str(qm_path(code))):
        raise FileNotFoundError(f"The {LANGUAGES[code]} translation is missing: {qm_path(code)}")
    qt = QTranslator(app)
    # Qt's catalogue is optional: without it only the standard buttons stay English.
    if qt.load(f"qtbase_{code}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
    app.installTranslator(ours)
    _installed.append(ours)
    return code


def current_language() -> str:
    return "ko" if _installed else "en"


# --- the catalogue ---------------------------------------------------------------------
def source_strings(root: Path = ROOT) -> list[str]:
    """Every translatable literal in ``app/``, ``widgets/`` and ``settings/`` (and their subpackages), in order of
    first appearance.

    Translatable: the first string literal argument of ``tr(...)``, ``tr_noop(...)``
    (text kept in tables and translated when shown) and of the
    :class:`widgets.i18n.Texts` methods ``bind``, ``label`` and ``row``.
    """
    seen: dict[str, None] = {}
    for folder in SOURCE_DIRS:
        for path in sorted((root / folder).rglob("*.py")):  # subpackages too (widgets/figures)
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            found = []
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if name in _TR_CALLS:
                    for arg in node.args:
                        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                            found.append((arg.lineno, arg.col_offset, arg.value))
                            break
            for *_, text in sorted(found):  # in the order of the source
                seen.setdefault(text)
    return list(seen)


def read_ts(path: Path) -> dict[str, str | None]:
    """source → translation (None when unfinished) from a Qt Linguist ``.ts`` file."""
    if not path.exists():
        return {}
    out: dict[str, str | None] = {}
    for message in ET.parse(path).getroot().iter("message"):
        source = message.findtext("source")
        tr_el = message.find("translation")
        done = tr_el is not None and tr_el.get("type") not in ("unfinished", "obsolete") and tr_el.text
        out[source] = tr_el.text if done else None
    return out


def write_ts(path: Path, code: str, sources: list[str], translations: dict[str, str | None]) -> None:
    root = ET.Element("TS", version="2.1", language={"ko": "ko_KR"}.get(code, code), sourcelanguage="en")
    context = ET.SubElement(root, "context")
    ET.SubElement(context, "name").text = CONTEXT
    for source in sources:
        message = ET.SubElement(context, "message")
        ET.SubElement(message, "source").text = source
        text = translations.get(source)
        el = ET.SubElement(message, "translation")
        if text:
            el.text = text
        else:
            el.set("type", "unfinished")
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")


def lrelease() -> str | None:
    """The ``pyside6-lrelease`` (or ``lrelease``) program, if installed."""
    here = Path(sys.executable).parent
    for name in ("pyside6-lrelease", "lrelease"):
        local = here / name
        if local.exists():
            return str(local)
        found = shutil.which(name)
        if found:
            return found
    return None


def compile_ts(ts: Path, qm: Path) -> None:
    tool = lrelease()
    if tool is None:
        raise RuntimeError("pyside6-lrelease was not found (it comes with PySide6-Essentials).")
    subprocess.run([tool, "-silent", str(ts), "-qm", str(qm)], check=True)


def update_catalogue(code: str = "ko") -> list[str]:
    """Re-extract, merge and recompile; returns the source strings still untranslated."""
    ts = I18N_DIR / f"propscope_{code}.ts"
    sources = source_strings()
    translations = read_ts(ts)
    write_ts(ts, code, sources, translations)
    compile_ts(ts, qm_path(code))
    return [s for s in sources if not translations.get(s)]


if __name__ == "__main__":
    missing = update_catalogue()
    print(f"{len(source_strings())} strings; {len(missing)} untranslated.")
    for text in missing:
        print("  -", text)
