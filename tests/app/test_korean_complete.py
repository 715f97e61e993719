"""Korean complete: no duplicate mnemonics, Qt's own dialogs translated, Fashion-MNIST's classes in Korean."""

import re

import pytest
from PySide6.QtWidgets import QFileDialog, QLabel, QMenu

from app.i18n import LANGUAGES


def mnemonic(text: str) -> str | None:
    """The letter after a single ``&`` (``&&`` is a literal ampersand)."""
    match = re.search(r"(?<!&)&([^&\s])", text)
    return match.group(1).lower() if match else None


def duplicates(texts):
    seen: dict[str, str] = {}
    clashes = []
    for text in texts:
        key = mnemonic(text)
        if key is None:
            continue
        if key in seen:
            clashes.append((seen[key], text))
        seen[key] = text
    return clashes


def menus_of(menu: QMenu):
    yield menu
    for action in menu.actions():
        if action.menu() is not None:
            yield from menus_of(action.menu())


@pytest.mark.parametrize("language", sorted(LANGUAGES))
@pytest.mark.parametrize("running", [False, True])
def test_no_duplicate_mnemonics_in_the_menu_bar_toolbar_or_any_menu(window, language, running):
    window.set_language(language)
    window.actions.show_running(running)  # "Run" becomes "Pause"
    bar = window.menuBar()
    top = [a.text() for a in bar.actions()] + [a.text() for a in window.actions.toolbar.actions() if a.text()]
    assert not duplicates(top), f"{language}: Alt+… is ambiguous: {duplicates(top)}"
    assert all(mnemonic(a.text()) for a in bar.actions()), "every menu has a mnemonic"
    for menu_action in bar.actions():
        for menu in menus_of(menu_action.menu()):
            texts = [a.text() for a in menu.actions() if not a.isSeparator()]
            assert not duplicates(texts), f"{language}, menu {menu.title()!r}: {duplicates(texts)}"


def test_qt_file_dialog_is_korean(window):
    from app.dialogs import make_dialog

    window.set_language("ko")
    dialog = make_dialog(window, "데이터 열기", "/tmp", ["CSV / TSV (*.csv *.tsv *.txt)", "All files (*)"])
    labels = [label.text() for label in dialog.findChildren(QLabel) if label.text()]
    assert not [t for t in labels if re.search("[A-Za-z]{3,}", t)], labels  # "Look in", "Files of type" too
    assert dialog.testOption(QFileDialog.Option.DontUseNativeDialog)
    assert dialog.nameFilters() == ["CSV / TSV (*.csv *.tsv *.txt)", "모든 파일 (*)"]
    dialog.deleteLater()


def test_fashion_mnist_classes_in_korean_and_a_users_own_labels_unchanged(window):
    from core.datasets.targets import FASHION_MNIST_CLASSES
    from settings.class_names import FASHION_MNIST
    from widgets.i18n import class_names_shown

    assert FASHION_MNIST == FASHION_MNIST_CLASSES  # the names translated are the names core gives
    window.set_language("ko")
    assert class_names_shown(FASHION_MNIST_CLASSES) == ("티셔츠/탑", "바지", "풀오버", "드레스", "코트", "샌들", "셔츠",
                                                        "스니커즈", "가방", "앵클 부츠")
    assert class_names_shown(("Coat", "loss")) == ("Coat", "loss")  # not a known set: shown as they are
    window.set_language("en")
    assert class_names_shown(FASHION_MNIST_CLASSES) == FASHION_MNIST_CLASSES
