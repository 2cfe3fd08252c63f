"""The Kiswahili catalogue keeps up with the sources, and what it says reaches the cashier.

`pyside6-lupdate` runs over the current sources into a temporary copy of
resources/translations/pos_app_sw.ts (packaging/update_translations.py --check does the same):
a visible English sentence added without its Kiswahili fails here, and so CI fails.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGING = REPO / "packaging"
TS_FILE = REPO / "resources" / "translations" / "pos_app_sw.ts"
QM_FILE = TS_FILE.with_suffix(".qm")


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, PACKAGING / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


update = _load("update_translations")
CATALOGUE = update.read(TS_FILE)


# -- the catalogue against the sources -------------------------------------------------------

def test_lupdate_over_the_sources_leaves_nothing_unfinished() -> None:
    problems = update.check(TS_FILE, "sw")
    assert problems == [], ("run python packaging/update_translations.py and translate:\n"
                            + "\n".join(problems))
    assert len(CATALOGUE.entries) >= 300 and CATALOGUE.language == "sw"


def _copy_of_the_sources(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(REPO / "pos_app", root / "pos_app",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return root


def test_a_new_sentence_without_kiswahili_fails_the_check(tmp_path: Path) -> None:
    root = _copy_of_the_sources(tmp_path)
    (root / "pos_app" / "new_words.py").write_text(
        "from pos_app.i18n import QT_TRANSLATE_NOOP\n"
        "NEW = QT_TRANSLATE_NOOP(\"Messages\", \"A sentence nobody has translated yet.\")\n",
        encoding="utf-8")
    problems = update.check(TS_FILE, "sw", root)
    assert problems == [
        "pos_app_sw.ts: untranslated [Messages] 'A sentence nobody has translated yet.'"]


def test_a_sentence_gone_from_the_sources_fails_the_check(tmp_path: Path) -> None:
    root = _copy_of_the_sources(tmp_path)
    wording = root / "pos_app" / "ui" / "wording.py"
    text = wording.read_text(encoding="utf-8")
    assert 'tr("Ready")' in text
    wording.write_text(text.replace('tr("Ready")', 'tr("Ready to sell")'), encoding="utf-8")
    problems = update.check(TS_FILE, "sw", root)
    assert "pos_app_sw.ts: untranslated [(wording.py)] 'Ready to sell'" in problems
    assert "pos_app_sw.ts: no longer in the sources [] 'Ready'" in problems


def test_the_shop_server_is_not_in_the_till_catalogue(tmp_path: Path) -> None:
    root = _copy_of_the_sources(tmp_path)
    (root / "pos_app" / "server").mkdir(exist_ok=True)
    (root / "pos_app" / "server" / "dashboard_words.py").write_text(
        "from pos_app.i18n import QT_TRANSLATE_NOOP\n"
        "X = QT_TRANSLATE_NOOP(\"Dashboard\", \"Owner's dashboard\")\n", encoding="utf-8")
    assert not any(s.startswith("pos_app/server/") for s in update.sources(root))
    assert update.check(TS_FILE, "sw", root) == []


# -- the .qm -----------------------------------------------------------------------------------

@pytest.fixture
def kiswahili(qapp) -> Iterator[object]:
    from PySide6.QtCore import QTranslator

    translator = QTranslator()
    assert translator.load(str(QM_FILE))
    qapp.installTranslator(translator)
    try:
        yield translator
    finally:
        qapp.removeTranslator(translator)


def test_the_committed_qm_says_what_the_ts_says(kiswahili) -> None:
    """Read back through Qt, entry by entry (the byte-for-byte comparison with a fresh
    lrelease is tests/test_smoke.py::test_committed_catalogue_matches_its_source)."""
    wrong = []
    for e in CATALOGUE.entries:
        if e.numerus:
            for n, form in ((1, 0), (5, -1)):
                got = kiswahili.translate(e.context, e.source, "", n)
                if got != e.translations[form]:
                    wrong.append((e.context, e.source, n, got))
        elif kiswahili.translate(e.context, e.source) != e.translations[0]:
            wrong.append((e.context, e.source, kiswahili.translate(e.context, e.source)))
    assert wrong == [], "resources/translations/pos_app_sw.qm is stale: " \
                        "run python packaging/update_translations.py"


# -- what each translation keeps of its source ------------------------------------------------

_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%n|%L?\d+")


def _mnemonic(text: str) -> str | None:
    """The letter after a single '&' ('&&' is a literal ampersand), lower-cased."""
    match = re.search(r"(?<!&)&([^&\s])", text.replace("&&", ""))
    return match.group(1).lower() if match else None


@pytest.mark.parametrize("entry", CATALOGUE.entries,
                         ids=lambda e: f"{e.context or 'wording'}:{e.source[:40]}")
def test_placeholders_and_accelerators_survive_translation(entry) -> None:
    want = sorted(_PLACEHOLDER.findall(entry.source))
    amps = entry.source.replace("&&", "").count("&")
    for text in entry.translations:
        assert sorted(_PLACEHOLDER.findall(text)) == want, f"placeholders differ in {text!r}"
        assert text.replace("&&", "").count("&") == amps, f"accelerator lost in {text!r}"
        if entry.numerus:
            assert "%n" in text, f"every plural form shows the count: {text!r}"


def test_counts_use_plural_forms() -> None:
    counted = [e for e in CATALOGUE.entries if e.numerus]
    assert counted, "the '%n earlier payment(s)' line at least"
    for e in counted:
        assert len(e.translations) == 2 and e.translations[0] != e.translations[1], e.source


def test_translated_mnemonics_clash_no_more_than_the_english_do() -> None:
    """Best effort without the widgets: within one context, two Kiswahili texts share an
    Alt-letter only when their English share one too (the English author keeps apart what
    shares a window). The window itself is checked below."""
    clashes = []
    for context in {e.context for e in CATALOGUE.entries}:
        by_letter: dict[str, list] = defaultdict(list)
        for e in CATALOGUE.entries:
            if e.context == context and not e.numerus and _mnemonic(e.translations[0]):
                by_letter[_mnemonic(e.translations[0])].append(e)
        for letter, entries in by_letter.items():
            english = {_mnemonic(e.source) for e in entries}
            if len(entries) > 1 and len(english) > 1 and context not in _MENU_CONTEXTS:
                clashes.append((context, letter, [e.translations[0] for e in entries]))
    assert clashes == []


# Contexts whose texts are spread over separate menus (a letter may repeat between menus).
_MENU_CONTEXTS = {"MainWindow", "QLineEdit"}


def _window_mnemonics(window) -> tuple[list[tuple[str, str]], dict[str, list[tuple[str, str]]]]:
    """(the window's own Alt-letters: menu titles, buttons, buddy labels), and per menu the
    letters of its items."""
    from PySide6.QtWidgets import QAbstractButton, QLabel, QMenu

    own: list[tuple[str, str]] = []
    menus: dict[str, list[tuple[str, str]]] = {}
    bar = window.menuBar()
    for action in bar.actions():
        if _mnemonic(action.text()):
            own.append((_mnemonic(action.text()), action.text()))

    seen: set[int] = set()

    def walk(menu: QMenu) -> None:
        if id(menu) in seen:  # a submenu is reached from its parent menu and by findChildren
            return
        seen.add(id(menu))
        items = menus.setdefault(menu.title(), [])
        for action in menu.actions():
            if _mnemonic(action.text()):
                items.append((_mnemonic(action.text()), action.text()))
            if action.menu() is not None:
                walk(action.menu())

    for menu in bar.findChildren(QMenu):
        if menu.parent() is bar or isinstance(menu.parent(), QMenu):
            walk(menu)
    central = window.centralWidget() or window
    for w in central.findChildren(QAbstractButton):
        if _mnemonic(w.text()):
            own.append((_mnemonic(w.text()), w.text()))
    for w in central.findChildren(QLabel):
        if w.buddy() is not None and _mnemonic(w.text()):
            own.append((_mnemonic(w.text()), w.text()))
    return own, menus


def _duplicates(pairs: list[tuple[str, str]]) -> list[list[str]]:
    seen: dict[str, list[str]] = defaultdict(list)
    for letter, text in pairs:
        seen[letter].append(text)
    return [texts for texts in seen.values() if len(texts) > 1]


def test_kiswahili_mnemonics_are_unique_in_the_window_and_each_menu(qtbot, kiswahili) -> None:
    """Every button of every state counts (they come and go in one place: the cashier's hand
    learns one letter per action), with the menu titles and the field labels."""
    from pos_app.settings import Settings
    from pos_app.ui.main_window import MainWindow

    window = MainWindow(settings=Settings(), training=False)
    qtbot.addWidget(window)
    own, menus = _window_mnemonics(window)
    assert _duplicates(own) == []
    texts = [t for _, t in own]
    assert "&Kaunta" in texts and "K&iasi (TZS)" in texts, texts  # the Alt+K clash
    for title, items in menus.items():
        assert items, title
        assert _duplicates(items) == [], title


def test_the_settings_dialog_speaks_kiswahili(qtbot, kiswahili, memory_keyring) -> None:
    from PySide6.QtWidgets import QDialogButtonBox, QGroupBox, QLabel

    from pos_app.settings import Settings
    from pos_app.ui.settings_dialog import SettingsDialog
    from pos_app.ui.tasks import QtRunner

    dialog = SettingsDialog(Settings(), training=True, runner=QtRunner(), settings_path=None,
                            gateway_factory=None)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Mipangilio"
    assert dialog.test_button.text() == "&Jaribu muunganisho"
    box = dialog.findChild(QDialogButtonBox)
    assert sorted(b.text() for b in box.buttons()) == ["Ghairi", "Hifadhi"]  # Qt's own words
    english = {"Till", "Till name", "API address", "Settings", "Wait for the PIN"}
    shown = {w.text() for w in dialog.findChildren(QLabel)} | {
        g.title() for g in dialog.findChildren(QGroupBox)}
    assert not english & shown, english & shown


# -- sentences made outside Qt reach the cashier in Kiswahili ---------------------------------

def test_wordings_module_level_tr_is_translated(kiswahili) -> None:
    from pos_app.ui import wording

    assert wording.tr("Ready") == "Tayari"
    assert wording.report_status("FAILED") == "Imeshindikana / haijatumwa"


def test_an_api_address_problem_is_translated_whole(kiswahili) -> None:
    from pos_app.clickpesa.api import BadBaseUrl, normalise_base_url
    from pos_app.settings import parse_settings
    from pos_app.ui import wording

    with pytest.raises(BadBaseUrl) as caught:
        normalise_base_url("ftp://example.com")
    assert str(caught.value) == ("'ftp://example.com' is not a web address (it must start "
                                 "with https://).")  # the CLI and the log stay English
    assert wording.error_text(caught.value) == ("'ftp://example.com' si anwani ya wavuti "
                                                "(lazima ianze na https://).")
    _, problems = parse_settings("[till]\nbase_url = ftp://example.com\n")
    assert wording.settings_problem(problems[0]) == (
        "Mpangilio 'base_url': 'ftp://example.com' si anwani ya wavuti (lazima ianze na "
        "https://). Inatumia https://api.clickpesa.com.")


def test_a_refused_credential_is_one_kiswahili_sentence(kiswahili, memory_keyring) -> None:
    from pos_app.credentials import BadCredentialText, CredentialStore
    from pos_app.ui import wording

    with pytest.raises(BadCredentialText) as caught:
        CredentialStore().save("client", " key-with-a-space")
    assert str(caught.value).startswith("The API key has spaces or line breaks")
    assert wording.error_text(caught.value) == (
        "API key: kuna nafasi au mstari mpya mwanzoni au mwishoni; hakuna kilichohifadhiwa. "
        "Iandike au ibandike tena sawasawa kama ClickPesa inavyoionyesha.")


def test_journal_and_gateway_fallbacks_are_translated(kiswahili, journal) -> None:
    from pos_app.clickpesa.gateway import _ANSWERED_HTTP
    from pos_app.journal import JournalError
    from pos_app.settings import Problem
    from pos_app.till.view import reason_for
    from pos_app.ui import wording

    with pytest.raises(JournalError) as caught:
        journal.decide("M0000NOSUCHREF", lambda _record: None)
    assert str(caught.value) == "No attempt M0000NOSUCHREF in the journal."
    assert wording.translated(reason_for(caught.value)) == \
        "Hakuna jaribio M0000NOSUCHREF kwenye daftari."
    assert wording.translated(Problem(_ANSWERED_HTTP, code=502)) == "ClickPesa imejibu HTTP 502."


def test_a_broken_translation_falls_back_to_the_english(qapp) -> None:
    from PySide6.QtCore import QTranslator

    from pos_app.settings import Problem
    from pos_app.ui import wording

    class Broken(QTranslator):
        def translate(self, context, source, disambiguation=None, n=-1):  # noqa: ARG002
            return "Mpangilio {jina}" if context == "Messages" else ""

    broken = Broken()
    qapp.installTranslator(broken)
    try:
        problem = Problem("Setting '{name}' is odd.", name="x")
        assert wording.translated(problem) == "Setting 'x' is odd."
    finally:
        qapp.removeTranslator(broken)
