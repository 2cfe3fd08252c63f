"""Bring the Kiswahili catalogue up to date with the sources, then rebuild its .qm.

    python packaging/update_translations.py          # lupdate into the .ts, then lrelease
    python packaging/update_translations.py --check  # change nothing; exit 1 if it is behind

Run it after adding or changing any visible English sentence (`self.tr(…)`, wording.py's
`tr(…)`, `QCoreApplication.translate(…)`, `QT_TRANSLATE_NOOP(…)`), translate the entries it
reports as unfinished (`pyside6-linguist resources/translations/pos_app_sw.ts`, or by hand:
remove `type="unfinished"` once the translation is written), and run it again so the .qm is
rebuilt. `tests/test_translations.py` runs the same lupdate into a temporary copy and fails
while any entry is unfinished, so a new sentence cannot land without its Kiswahili.

lupdate runs with:

* `-no-obsolete` — an English sentence that is gone from the sources is dropped from the
  catalogue. Its translation is not lost for a reworded sentence: lupdate's same-text and
  similar-text heuristics offer it to the new entry in the same run (marked unfinished, for a
  person to check), and git keeps every old translation. Kept obsolete entries would only make
  the file longer for the reviewer and leave stale Kiswahili that no screen shows.
* `-locations none` — no file names or line numbers in the .ts: engineers edit the sources in
  parallel, and line numbers would make every edit a change (and a merge conflict) in the
  catalogue. The contexts (`MainWindow`, `SettingsDialog`, `Messages`, …) and the English
  itself say where a sentence comes from; `git grep` finds it.

Sources: every `pos_app/**/*.py` except `pos_app/server/` (the shop server's dashboard is
not Qt and keeps its own catalogue). The empty context holds pos_app/ui/wording.py's
module-level `tr()` (see there); `Messages` holds the sentences made outside Qt
(pos_app/i18n.py).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import compile_translations  # noqa: E402

ROOT = compile_translations.ROOT
TRANSLATIONS = compile_translations.TRANSLATIONS
CATALOGUES = {"sw": TRANSLATIONS / "pos_app_sw.ts"}
EXCLUDED = ("pos_app/server/",)
LUPDATE_OPTIONS = ("-no-obsolete", "-locations", "none", "-source-language", "en")

_LUPDATE = ("import sys; from PySide6.scripts.pyside_tool import lupdate; "
            "sys.argv[0] = 'pyside6-lupdate'; lupdate()")


def sources(root: Path = ROOT) -> list[str]:
    """The Python files lupdate reads, relative to `root`, in a stable order."""
    found = []
    for path in sorted((root / "pos_app").rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if "__pycache__" not in rel and not rel.startswith(EXCLUDED):
            found.append(rel)
    return found


def lupdate(ts: Path, language: str, root: Path = ROOT) -> str:
    """Merge the sources' English into `ts` (created if missing); return lupdate's report."""
    done = subprocess.run(
        [sys.executable, "-c", _LUPDATE, *sources(root), "-ts", str(ts), *LUPDATE_OPTIONS,
         "-target-language", language],
        cwd=root, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"update_translations: lupdate failed for {ts.name}:\n"
                         f"{done.stdout}{done.stderr}")
    return done.stdout.strip()


@dataclass
class Entry:
    context: str
    source: str
    translations: list[str]  # one, or one per plural form
    numerus: bool
    state: str  # "finished", "unfinished", "vanished", "obsolete"


@dataclass
class Catalogue:
    language: str
    entries: list[Entry] = field(default_factory=list)

    def keys(self) -> set[tuple[str, str]]:
        return {(e.context, e.source) for e in self.entries}

    def unfinished(self) -> list[Entry]:
        """Entries the .qm would not translate: marked unfinished, or empty."""
        return [e for e in self.entries if e.state == "unfinished"
                or not all(t.strip() for t in e.translations)]


def read(ts: Path) -> Catalogue:
    root = ET.parse(ts).getroot()
    catalogue = Catalogue(root.get("language") or "")
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            tr = message.find("translation")
            numerus = message.get("numerus") == "yes"
            if tr is None:
                texts, state = [""], "unfinished"
            else:
                forms = tr.findall("numerusform")
                texts = [f.text or "" for f in forms] if numerus else [tr.text or ""]
                state = tr.get("type") or "finished"
            catalogue.entries.append(Entry(name, message.findtext("source") or "", texts,
                                           numerus, state))
    return catalogue


def check(ts: Path, language: str, root: Path = ROOT) -> list[str]:
    """Run lupdate over the sources into a copy of `ts`; say what is behind (empty: nothing)."""
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / ts.name
        shutil.copyfile(ts, fresh)
        lupdate(fresh, language, root)
        merged, committed = read(fresh), read(ts)
    for e in merged.unfinished():
        problems.append(f"{ts.name}: untranslated [{e.context or '(wording.py)'}] {e.source!r}")
    for context, source in sorted(committed.keys() - merged.keys()):
        problems.append(f"{ts.name}: no longer in the sources [{context}] {source!r}")
    for context, source in sorted(merged.keys() - committed.keys()):
        if not any(p.endswith(f"{source!r}") for p in problems):
            problems.append(f"{ts.name}: not in the committed catalogue [{context}] {source!r}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 if a catalogue is behind the sources")
    args = parser.parse_args(argv)
    if args.check:
        problems = [p for language, ts in CATALOGUES.items() for p in check(ts, language)]
        for p in problems:
            print(p)
        print(f"update_translations: {len(problems)} problem(s)")
        return 1 if problems else 0
    for language, ts in CATALOGUES.items():
        print(lupdate(ts, language))
        catalogue = read(ts)
        todo = catalogue.unfinished()
        print(f"update_translations: {ts.name}: {len(catalogue.entries)} entries, "
              f"{len(catalogue.entries) - len(todo)} translated, {len(todo)} unfinished")
        for e in todo:
            print(f"    [{e.context or '(wording.py)'}] {e.source!r}")
    for qm in compile_translations.compile_all():
        print(f"update_translations: wrote {qm.relative_to(ROOT)} ({qm.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
