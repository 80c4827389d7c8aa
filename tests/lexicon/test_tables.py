"""The knowledge tables: each says where it comes from, is read by the one reader, and the
word lists they hold are not written out again in code."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from qmgraph.errors import TableError
from qmgraph.lexicon.words import alternation, patterns, title_endings, words
from qmgraph.tables import DATA_DIR, read_table

ROOT = Path(__file__).resolve().parents[2]
TABLES = sorted(p.name for p in DATA_DIR.glob("*.[ct]sv"))
WORD_TABLES = [n for n in TABLES if "word" in read_table(n)[0] and "kind" in read_table(n)[0]]


@pytest.mark.parametrize("name", TABLES)
def test_every_table_says_its_source_and_has_rows(name: str) -> None:
    first = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# source:"), name
    assert read_table(name), name


def test_read_table_skips_comments_strips_cells_and_keeps_quotes(tmp_path: Path) -> None:
    p = tmp_path / "t.tsv"
    p.write_text('# source: test\nkind\tpattern\n\n# a note\na\t "x"|y \n', encoding="utf-8")
    assert read_table(p) == [{"kind": "a", "pattern": '"x"|y'}]
    c = tmp_path / "t.csv"
    c.write_text('# source: test\ntext,value\n",",x\n', encoding="utf-8")
    assert read_table(c) == [{"text": ",", "value": "x"}]


@pytest.mark.parametrize(("row", "says"), [
    ("a\tb\tx\ty", "line 4 has 4 cells, its header 3"),  # a tab inside a text
    ("a\tb", "line 4 has 2 cells, its header 3"),  # the text missing
    ("a\tb\t text", "line 4: cell 'text' starts or ends with white space"),
    ("a\tb\t\u3000text", "line 4: cell 'text' starts or ends with white space"),
    ("a\tb\t", "line 4: cell 'text' is empty"),
])
def test_strict_tables_name_the_bad_line(tmp_path: Path, row: str, says: str) -> None:
    p = tmp_path / "t.tsv"
    p.write_text(f"# source: test\nlist\tkey\ttext\nok\t\tfine\n{row}\nok\t\tx\n",
                 encoding="utf-8")
    with pytest.raises(TableError, match=re.escape(f"{p}: {says}")):
        read_table(p, strict=True, required=("text",))
    p.write_text("# source: test\nlist\tkey\ttext\nok\t\tfine\n", encoding="utf-8")
    assert read_table(p, strict=True, required=("text",)) == [
        {"list": "ok", "key": "", "text": "fine"}]


def test_words_keep_table_order_and_escape() -> None:
    assert words("place_words.tsv", "level-cue-agency")[:2] == ("委", "政府")
    assert alternation("activity_words.tsv", "name-joiner") == "、|和|及"
    assert patterns("national_issuers.tsv").startswith("(?:^(国家|")
    assert "一览表" in title_endings("notice_title") and "公告" not in title_endings("notice_title")
    with pytest.raises(KeyError):
        words("place_words.tsv", "no-such-kind")


def _code_strings(path: Path) -> list[tuple[int, list[str]]]:
    """(line, strings) of each string constant and each literal collection of strings in a
    module's code (docstrings left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and n.body and isinstance(n.body[0], ast.Expr)}
    out: list[tuple[int, list[str]]] = []
    for n in ast.walk(tree):
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs:
            out.append((n.lineno, [n.value]))
        elif isinstance(n, ast.Set | ast.Tuple | ast.List):
            elts = [e.value for e in n.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            if elts:
                out.append((n.lineno, elts))
    return out


def _lists() -> list[tuple[str, str, tuple[str, ...]]]:
    return [(t, k, words(t, k)) for t in WORD_TABLES
            for k in dict.fromkeys(r["kind"] for r in read_table(t)) if len(words(t, k)) >= 3]


# synth writes corpora: its templates are text to write, not lists to recognise
@pytest.mark.parametrize("module", sorted(p.relative_to(ROOT).as_posix()
                                          for p in (ROOT / "qmgraph").rglob("*.py")
                                          if "synth" not in p.parts))
def test_no_word_list_of_the_tables_in_code(module: str) -> None:
    """A word list moved to data/ is not written out again in code: no string holds three
    of its words as an alternation, no literal collection holds three of them."""
    found = _code_strings(ROOT / module)
    for table, kind, ws in _lists():
        runs = ["|".join(ws[i:i + 3]) for i in range(len(ws) - 2)]
        for line, strings in found:
            if len(strings) == 1:
                assert not any(r in strings[0] for r in runs), f"{module}:{line} {table} {kind}"
            else:
                assert len(set(strings) & set(ws)) < 3, f"{module}:{line} {table} {kind}"


def test_the_check_finds_a_list_written_in_code(tmp_path: Path) -> None:
    p = tmp_path / "m.py"
    p.write_text('"""doc 联合|会同|配合"""\nX = ("确保", "担保", "环保")\nY = r"(联合|会同|配合)"\n',
                 encoding="utf-8")
    strings = _code_strings(p)
    assert [s for _, s in strings if len(s) > 1] == [["确保", "担保", "环保"]]
    assert any("联合|会同|配合" in s[0] for _, s in strings if len(s) == 1 and s[0].startswith("("))


#: role words the extraction's patterns take from data/activity_words.tsv (kinds too short
#: for the three-word check above)
_ROLE_KINDS = ("role-noun", "pair-lead", "pair-co", "host-adverb")


@pytest.mark.parametrize("module", sorted(p.relative_to(ROOT).as_posix()
                                          for part in ("extract", "parse")
                                          for p in (ROOT / "qmgraph" / part).rglob("*.py")))
def test_no_role_word_written_in_extraction_code(module: str) -> None:
    """牵头/配合, 单位/部门, 联合/共同 in extract's and parse's patterns come from the table:
    no string constant of their code holds one."""
    role_words = {w for k in _ROLE_KINDS for w in words("activity_words.tsv", k)}
    for line, strings in _code_strings(ROOT / module):
        for s in strings:
            assert not any(w in s for w in role_words), f"{module}:{line} {s!r}"
