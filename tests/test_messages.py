"""The member-facing French in one place: recours/data/messages_fr.yml read by recours.messages, fixed utterances
as domain responses, and no French sentence written into the actions' code."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml

from recours.data_files import DataFileError
from recours.messages import (
    MESSAGES_FILE,
    PlaceholderMismatch,
    UnknownMessage,
    catalogue,
    message_fr,
    message_group_fr,
    placeholders,
)

ROOT = Path(__file__).resolve().parent.parent
CODE = sorted(path for folder in ("actions", "recours", "addons") for path in (ROOT / folder).rglob("*.py"))
SOURCES = {path: path.read_text(encoding="utf-8") for path in CODE}
MESSAGE_FUNCTIONS = ("message_fr", "message_group_fr")


def _calls(function: str) -> list[tuple[Path, ast.Call]]:
    found = []
    for path, source in SOURCES.items():
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == function:
                found.append((path, node))
    return found


def _literal_keys(node: ast.AST) -> list[str]:
    """The keys a call's first argument can be: a literal, or the literals of a conditional expression."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _literal_keys(node.body) + _literal_keys(node.orelse)
    return []


# -- the module ------------------------------------------------------------------------------------------------------


def test_a_sentence_is_filled_with_exactly_its_placeholders():
    assert message_fr("contact.missing", example="prenom.nom@exemple.fr").startswith("Je n'ai trouvé ni adresse")
    with pytest.raises(PlaceholderMismatch, match="missing example"):
        message_fr("contact.missing")
    with pytest.raises(PlaceholderMismatch, match="unexpected organisation"):
        message_fr("contact.missing", example="x", organisation="CPMS")


def test_an_unknown_key_is_a_clear_error():
    with pytest.raises(UnknownMessage, match="no sentence 'contact.nothing' in messages_fr.yml"):
        message_fr("contact.nothing")
    with pytest.raises(UnknownMessage, match="no group"):
        message_group_fr("nothing")


def test_braces_written_twice_are_literal():
    assert message_fr("rest.not_an_object") == 'Le corps doit être un objet JSON {"sender": "...", "message": "..."}.'


def test_folded_lines_are_joined_and_an_empty_line_is_a_line_break():
    notice = message_fr("form.after_failures", message="Non.", expected="oui", de_organisation="de CPMS",
                        contact="Appelez le 01 47 70 30 97.")
    assert notice == "Non.\n\nCe que j'attends : oui\nPlutôt parler à une personne de CPMS ? Appelez le 01 47 70 30 97."


def test_the_file_is_checked_against_its_schema(tmp_path):
    bad = tmp_path / "messages_fr.yml"
    bad.write_text("Contact:\n  missing: ''\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="does not match messages_fr.schema.json"):
        catalogue(bad)


# -- the file and the code agree ----------------------------------------------------------------------------------


def test_every_sentence_is_used():
    """A key is used when the code names it; a sentence of a group read whole (message_group_fr) when the code
    names its last key (a slot's name, a route) anywhere."""
    code = "\n".join(SOURCES.values())
    groups = {key for _, call in _calls("message_group_fr") for key in _literal_keys(call.args[0])}
    unused = []
    for key in catalogue():
        group, _, last = key.rpartition(".")
        if f'"{key}"' in code or f"'{key}'" in code:
            continue
        if group in groups and (f'"{last}"' in code or f"'{last}'" in code):
            continue
        unused.append(key)
    assert not unused, f"sentences of {MESSAGES_FILE.name} no code uses: {unused}"


def test_every_key_the_code_names_exists():
    """Every string shaped like a key of the file (``group.key``, a known group) in the code is one of its keys or
    groups (file names such as ``cpam.yml`` aside)."""
    known = set(catalogue())
    groups = {key.split(".")[0] for key in known}
    prefixes = {key.rpartition(".")[0] for key in known}
    missing = []
    for path, source in SOURCES.items():
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                    re.fullmatch(r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+", node.value) and \
                    node.value.split(".")[0] in groups and node.value not in known | prefixes and \
                    node.value.rpartition(".")[2] not in ("yml", "json", "py"):  # file names
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value}")
    assert not missing, missing
    for path, call in _calls("message_fr") + _calls("message_group_fr"):
        assert call.args, f"{path.relative_to(ROOT)}:{call.lineno}: a message without a key"


def test_the_code_fills_the_placeholders_each_sentence_has():
    """Checked on the code itself, so a branch no test reaches cannot send a sentence half filled."""
    problems = []
    checked = 0
    for path, call in _calls("message_fr"):
        given = {keyword.arg for keyword in call.keywords if keyword.arg is not None}
        spread = any(keyword.arg is None for keyword in call.keywords)  # message_fr(key, **values)
        for key in _literal_keys(call.args[0]):
            expected = placeholders(catalogue()[key])
            if given - expected or (not spread and given != expected):
                problems.append(f"{path.relative_to(ROOT)}:{call.lineno}: {key} has {sorted(expected)}, "
                                f"given {sorted(given)}{' and more' if spread else ''}")
            checked += 1
    assert checked > 200 and not problems, problems


def test_a_group_read_whole_has_no_placeholders():
    for _, call in _calls("message_group_fr"):
        for group in _literal_keys(call.args[0]):
            assert all(not placeholders(text) for text in message_group_fr(group).values()), group


def test_every_response_an_action_utters_is_in_the_domain():
    responses: set[str] = set()
    for path in (ROOT / "domain").glob("*.yml"):
        responses |= set((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses") or {})
    named = []
    for path, call in _calls("utter_message"):
        for keyword in call.keywords:
            if keyword.arg == "response":
                named += [(path, call.lineno, key) for key in _literal_keys(keyword.value)]
    assert named and all(key in responses for _, _, key in named), [n for n in named if n[2] not in responses]


# -- no French sentence in the actions' code -----------------------------------------------------------------------

# Words that make a run of words French rather than an identifier, a log line or a regular expression.
_FRENCH = re.compile(r"[àâçéèêëîïôûùüÿœ]|\b(?:vous|votre|vos|le|la|les|de|des|du|un|une|et|est|pas|pour|à|au|aux|"
                     r"qui|que|ne)\b", re.I)
_REGEX = re.compile(r"\\[bswdSWD]|\(\?|\[[A-Za-z]-")
SENTENCE_WORDS = 6

# Sentence literals an action may still hold, with the reason. None today: the sentences built from data (dates,
# deadlines, addresses, masked values) take their fixed frame from messages_fr.yml too.
ALLOWED: dict[tuple[str, str], str] = {}


def french_sentences(path: Path) -> list[tuple[int, str]]:
    """String literals of 6 words or more that read as French (docstrings and comments aside); an f-string's
    fields count as words."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value) for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body
        and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
    }
    texts: list[tuple[int, str]] = []
    parts_of_fstrings: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts_of_fstrings |= {id(value) for value in node.values}
            text = "".join(value.value if isinstance(value, ast.Constant) else " {} " for value in node.values)
            texts.append((node.lineno, text))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                id(node) not in docstrings | parts_of_fstrings:
            texts.append((node.lineno, node.value))
    return sorted(
        (line, text) for line, text in texts
        if len(re.findall(r"[\wÀ-ÿœ'’{}]+", text)) >= SENTENCE_WORDS and len(_FRENCH.findall(text)) >= 2
        and not _REGEX.search(text)
    )


def test_the_guard_sees_a_french_sentence(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('"""Docstrings are not sentences for the member."""\nimport re\n'
                      'A = f"Votre réclamation {ref} est bien enregistrée."\nB = "validate_complaint_form"\n'
                      'C = re.compile(r"\\b(?:je ne sais pas|aucune idee de la date)\\b")\n', encoding="utf-8")
    assert french_sentences(sample) == [(3, "Votre réclamation  {}  est bien enregistrée.")]


@pytest.mark.parametrize("path", sorted((ROOT / "actions").glob("*.py")), ids=lambda path: path.name)
def test_no_french_sentence_is_written_in_an_action(path):
    found = [(line, text) for line, text in french_sentences(path)
             if not any(file == path.name and text.startswith(start) for file, start in ALLOWED)]
    assert not found, (
        f"French sentences in actions/{path.name}: put them in a domain response (uttered as is) or in "
        f"recours/data/messages_fr.yml (used in Python): {found}"
    )
