"""Korean and English UI through Qt's translation system: switching, the system locale, the catalogue."""

import re
import shutil

import pytest
from PySide6.QtCore import QLocale, QSettings

from app import i18n


def _texts(window):
    return {"file menu": window.menuBar().actions()[0].text(), "tab": window.views.tabText(0),
            "dock": window.docks["Data"].windowTitle(), "phase action": window.actions.phase.text(),
            "phase tooltip": window.actions.phase.toolTip(), "progress": window.progress.format(),
            "training row": window.training_panel.layout().itemAt(0).layout().itemAt(2).widget().text()}


def test_switching_to_korean_and_back_translates_menus_docks_views_and_status(window, qtbot):
    english = _texts(window)
    assert english["file menu"] == "&File" and english["tab"] == "Network" and english["dock"] == "Data"
    assert window.set_language("ko") == "ko"
    korean = _texts(window)
    assert korean == {"file menu": "파일(&F)", "tab": "신경망", "dock": "데이터", "phase action": "단계 실행(&P)",
                      "phase tooltip": "다음 단계 실행: 한 층의 순전파나 역전파, 손실 계산, 또는 업데이트 (F6)",
                      "progress": "%v / %m 스텝", "training row": "옵티마이저"}
    # Texts built from data follow too: the status line and a view drawn from a snapshot.
    window.controller.step_phase()
    qtbot.waitUntil(lambda: "순전파" in window.status_label.text())
    assert window.status_label.text().startswith("에포크 1/")
    layers = window.views.show_view("propagation")
    assert "순전파 · " in layers.title.text() and "스텝 0" in layers.title.text()
    assert [lab.text() for lab in layers.phase_labels][-1] == "업데이트"
    assert window.views.tabToolTip(0).startswith("원 하나가 뉴런입니다")
    # A note built from the data is rebuilt in the new language, not reset to a placeholder.
    assert window.model_panel.input_note.text().startswith("입력: spiral의 (2,)")
    assert window.set_language("en") == "en"
    assert _texts(window) == english
    assert "forward · " in layers.title.text()


def test_views_built_after_the_switch_start_in_korean(window):
    window.set_language("ko")
    view = window.views.show_view("distributions")  # built lazily, now
    assert view.band_kind.itemText(1) == "활성화 a"
    window.controller.step_batch()  # the new frame is rendered in the view in front
    assert view.hist_plots[0].titleLabel.text.startswith("활성화 전 z")


def test_the_choice_is_remembered_and_system_follows_the_locale(window):
    window.set_language("ko")
    assert QSettings("Propscope", "Propscope").value("language") == "ko"
    assert window.actions.language.actions["ko"].isChecked()
    assert i18n.resolve_language("ko") == "ko"
    assert i18n.resolve_language("en", QLocale(QLocale.Language.Korean)) == "en"  # an explicit choice wins
    assert i18n.resolve_language("system", QLocale(QLocale.Language.Korean, QLocale.Country.SouthKorea)) == "ko"
    assert i18n.resolve_language("system", QLocale(QLocale.Language.German)) == "en"
    assert i18n.resolve_language(None, QLocale(QLocale.Language.Korean)) == "ko"


def test_every_string_of_the_ui_has_a_korean_translation_with_the_same_placeholders():
    sources = i18n.source_strings()
    assert len(sources) > 250
    catalogue = i18n.read_ts(i18n.I18N_DIR / "propscope_ko.ts")
    missing = [s for s in sources if not catalogue.get(s)]
    assert not missing, f"untranslated (run python -m app.i18n and fill them in): {missing}"
    assert not set(catalogue) - set(sources), "obsolete entries in the catalogue"
    for source in sources:
        assert sorted(re.findall(r"\{\w+\}", source)) == sorted(re.findall(r"\{\w+\}", catalogue[source])), source
        if "&" in source and ";;" not in source:
            assert "&" in catalogue[source], f"menu accelerator lost: {source}"
    # The terms of the course notes.
    for english, korean in (("forward", "순전파"), ("backward", "역전파"), ("weights W", "가중치 W"),
                            ("Epochs", "에포크 수"), ("Optimizer", "옵티마이저"), ("Learning rate", "학습률"),
                            ("gradient ∂L/∂W", "기울기 ∂L/∂W"), ("Activation", "활성화 함수")):
        assert catalogue[english] == korean


def test_the_compiled_catalogue_is_up_to_date(tmp_path):
    if i18n.lrelease() is None:
        pytest.fail("pyside6-lrelease is missing (it ships with PySide6-Essentials)")
    fresh = tmp_path / "ko.qm"
    i18n.compile_ts(i18n.I18N_DIR / "propscope_ko.ts", fresh)
    assert fresh.read_bytes() == i18n.qm_path("ko").read_bytes(), "run python -m app.i18n to recompile"


def test_a_missing_translation_file_is_a_clear_error(monkeypatch, tmp_path, qapp):
    monkeypatch.setattr(i18n, "I18N_DIR", tmp_path)
    with pytest.raises(FileNotFoundError, match="한국어 translation is missing"):
        i18n.install_language("ko")
    assert i18n.current_language() == "en"


def test_source_strings_finds_each_kind_of_marker(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "widgets").mkdir()
    (tmp_path / "app" / "a.py").write_text(
        'tr("one")\ntexts.bind(setter, "two")\ntexts.row(form, "three", w)\nX = [tr_noop("four")]\n'
        'texts.label("five", self)\nprint("not this")\n', encoding="utf-8")
    shutil.copy(__file__, tmp_path / "widgets" / "b.py")  # this file's strings are not tr() calls
    assert i18n.source_strings(tmp_path) == ["one", "two", "three", "four", "five"]


def test_qt_standard_buttons_follow_the_language(window):
    from PySide6.QtCore import QCoreApplication

    window.set_language("ko")
    # Qt's own catalogue (qtbase_ko) translates the standard dialog buttons.
    assert QCoreApplication.translate("QPlatformTheme", "&Yes") != "&Yes"
    window.set_language("en")
    assert QCoreApplication.translate("QPlatformTheme", "&Yes") == "&Yes"
