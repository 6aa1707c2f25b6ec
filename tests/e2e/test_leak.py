"""No identifier in clear anywhere on the assistant's side, on SQLite and on PostgreSQL.

Complete conversations are played over the three channels with synthetic identifiers (a key-valid NIR, an
e-mail address, a phone number, and the WhatsApp number): a complaint filed over REST (NIR typed grouped, phone
typed inside the description and in E.164, e-mail), then its status checked and what is held exported; a second
REST conversation erased mid-way; a complaint over socket.io (python-socketio client, polling, as rasa-webchat
does) with an export; a complaint over WhatsApp (signed webhook posts) with a status check. Then everything the
assistant wrote is scanned for each identifier in every usual written form:
- the tracker store: the SQLite file's bytes, or every row of every table on PostgreSQL; and every tracker
  through the HTTP API;
- the complaint store: the SQLite file's bytes, or every row of every table on PostgreSQL;
- every log file under the assistant's log directory (and PostgreSQL's server log).
Also counted: any key-valid NIR at all (compact or grouped), whoever typed it. The browser's storage is covered by
tests/e2e/test_widget_browser.py.
"""

from __future__ import annotations

import json
import re
import secrets
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
import requests
from sqlalchemy import create_engine, inspect, text
from stdnum.fr import nir as stdnum_nir

from ops.launcher import Assistant
from tests.e2e.channels import SocketClient
from tests.e2e.conftest import assistant_on_free_ports
from tests.e2e.harness import Conversation
from tests.e2e.test_whatsapp_e2e import WhatsAppMember, texts
from tests.graph_stub import GraphStub
from tests.nirs import grouped, make_nir
from tests.pg import fresh_database, postgresql_url  # noqa: F401

pytestmark = pytest.mark.e2e

REFERENCE_RE = re.compile(r"REC-\d{4}-[A-Z0-9]{6}")
# Any NIR-shaped token, compact or grouped with spaces, dots or dashes; counted when its key is valid.
NIR_SHAPED = re.compile(
    r"(?<![0-9A-Za-z])[12][ .\-]?\d{2}[ .\-]?\d{2}[ .\-]?(?:\d{2}|2[AB])[ .\-]?\d{3}[ .\-]?\d{3}[ .\-]?\d{2}(?![0-9A-Za-z])"
)


@dataclass(frozen=True)
class Identity:
    """A synthetic member: identifiers that belong to nobody, unique to one channel of one run."""

    name: str
    nir: str
    email: str
    phone_national: str  # "06 12 34 56 78"

    @property
    def phone_e164(self) -> str:
        return "+33" + self.phone_national.replace(" ", "")[1:]

    def forms(self) -> dict[str, str]:
        """Every written form an identifier may take in a store or a log."""
        compact_phone = self.phone_national.replace(" ", "")
        return {
            "NIR compact": self.nir,
            "NIR grouped": grouped(self.nir),
            "NIR dotted": grouped(self.nir, "."),
            "e-mail": self.email.lower(),
            "phone national": compact_phone,
            "phone national grouped": self.phone_national,
            "phone E.164": self.phone_e164,
            "phone E.164 without +": self.phone_e164[1:],
        }


def identity(tag: str, seed: int) -> Identity:
    digits = f"{seed:08d}"
    return Identity(
        name="Camille " + "".join("ABCDEFGHIJ"[int(d)] for d in digits[:1]) + "".join("bcdfghjklm"[int(d)] for d in digits[1:]),
        nir=make_nir(sex=1 + seed % 2, year=60 + seed % 40, month=1 + seed % 12, department="2B" if seed % 3 else "69",
                     commune=f"{100 + seed % 800:03d}", order=f"{100 + seed % 900:03d}"),
        email=f"camille.{tag}.{digits}@exemple.fr",
        phone_national="06 1" + digits[0] + " " + " ".join(digits[i:i + 2] for i in range(2, 8, 2)),  # 061x: mobile
    )


FAILING_DESCRIPTION = "Mon dossier de prise en charge a disparu, description confidentielle numero sept"


def failing_who_name(seed: int) -> str:
    return "Dominique " + "".join("bcdfghjklm"[int(d)] for d in f"{seed:08d}") + "ovitch"


def grievance(who: Identity) -> str:
    return (
        "Bonjour, ma mutuelle refuse de rembourser mes séances de kinésithérapie alors que mon contrat les couvre, "
        f"personne ne me répond. Rappelez-moi au {who.phone_national} s'il vous plaît."
    )


# -- one complaint, whatever the channel -----------------------------------------------------------------------------


def file_complaint(say: Callable[[str], str], who: Identity, nir_as_typed: str) -> str:
    """The complaint form over a channel whose buttons send their payload; returns the reference."""
    assert "Acceptez-vous de continuer" in say(grievance(who))
    assert "nom et votre prénom" in say("Oui")
    assert "sécurité sociale" in say(who.name)
    assert "e-mail" in say(nir_as_typed)
    say(f"{who.email} ou {who.phone_e164}")
    say("Contrat individuel")
    assert "décision" in say('/inform{"nature":"remboursement"}')
    assert "réclamation écrite" in say("Aucune")
    assert "justice" in say("Non")
    assert "récapitulatif" in say("Non")
    done = say("/affirm")
    match = REFERENCE_RE.search(done)
    assert match, done
    if "peut vous rappeler" in done:
        # « Rappelez-moi au 06 … » in the grievance: the call-back is asked for right after the recording, on the
        # number given (kept encrypted like the complaint's); booked nowhere here, the « Annuler » button
        say("/stop")
    return match.group(0)


def check_status(say: Callable[[str], str], reference: str, proof: str) -> None:
    # the complaint just recorded in this conversation: its status at once, its reference never asked again
    # (members' round 22, m22-D-02)
    assert reference in say("Où en est ma réclamation ?")
    # its reference typed: the proof of ownership is asked, then the status given
    assert "4 derniers caractères" in say(f"Où en est la réclamation {reference} ?")
    assert "au plus tard le" in say(proof)


# -- socket.io, as rasa-webchat talks to Rasa --------------------------------------------------------------------------


@dataclass
class SocketMember:
    """A browser's rasa-webchat session (tests/e2e/channels.py's client), one whole turn at a time: the answers
    are collected once the tracker shows the turn finished and as many bot messages arrived as it holds."""

    assistant: Assistant
    socket: SocketClient = field(init=False)

    def __post_init__(self) -> None:
        self.socket = SocketClient(self.assistant.rasa_url, self.assistant.web_url).connect()

    @property
    def session_id(self) -> str:
        return self.socket.session_id

    def tracker(self) -> dict[str, Any]:
        answer = requests.get(f"{self.assistant.rasa_url}/conversations/{self.session_id}/tracker",
                              params={"token": self.assistant.token}, timeout=30)
        answer.raise_for_status()
        return answer.json()

    def received(self) -> list[dict[str, Any]]:
        with self.socket.lock:
            return list(self.socket.received)

    def say(self, message: str) -> str:
        users = sum(e.get("event") == "user" for e in self.tracker().get("events") or [])
        already = len(self.received())
        self.socket.send(message)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            events = self.tracker().get("events") or []
            if sum(e.get("event") == "user" for e in events) > users and events[-1].get("name") == "action_listen":
                last_user = max(i for i, e in enumerate(events) if e.get("event") == "user")
                expected = sum(e.get("event") == "bot" for e in events[last_user:])
                answers = self.received()[already:]
                if len(answers) >= expected:
                    return "\n".join(m.get("text") or "" for m in answers)
            time.sleep(0.2)
        raise AssertionError(f"no complete answer to {message!r}")

    def close(self) -> None:
        self.socket.close()


# -- WhatsApp ---------------------------------------------------------------------------------------------------------


def whatsapp_complaint_and_status(assistant: Assistant, stub: GraphStub, who: Identity, number: str) -> str:
    member = WhatsAppMember(assistant, stub, number=number)
    replies = member.say(grievance(who))
    replies = member.tap(replies, "J'accepte")
    assert "sécurité sociale" in texts(member.say(who.name))
    assert "e-mail" in texts(member.say(who.nir))
    replies = member.say(f"{who.email}, {who.phone_national}")
    replies = member.tap(replies, "Contrat individuel")
    replies = member.tap(replies, "Remboursement")
    replies = member.tap(replies, "Aucune décision")
    replies = member.tap(replies, "Non")
    recap = member.tap(replies, "Non")
    confirmed = member.tap(recap, "Confirmer")
    done = texts(confirmed)
    reference = REFERENCE_RE.search(done).group(0)
    if "peut vous rappeler" in done:
        member.tap(confirmed, "Annuler")  # the call-back asked for in the grievance, right after the recording
    check_status(lambda message: texts(member.say(message)), reference, who.email)
    return member.sender_id


# -- the scan ---------------------------------------------------------------------------------------------------------------


def valid_nirs(text_value: str) -> list[str]:
    found = []
    for match in NIR_SHAPED.finditer(text_value):
        if re.fullmatch(r"\d{10}\.\d{5}", match.group()):
            continue  # a Unix timestamp as Rasa stores events (1795303921.69051): 1 in 97 has a valid NIR key
        compact = re.sub(r"[ .\-]", "", match.group())
        if stdnum_nir.is_valid(compact):
            found.append(compact)
    return found


def count(haystack: str, identities: list[Identity], whatsapp_number: str) -> dict[str, int]:
    lowered = haystack.lower()
    counts = {"any valid NIR": len(valid_nirs(haystack)), "WhatsApp number": haystack.count(whatsapp_number)}
    for who in identities:
        for label, form in who.forms().items():
            counts[label] = counts.get(label, 0) + lowered.count(form.lower())
    return counts


def sql_dump(url: str) -> str:
    """Every row of every table, as text (PostgreSQL's row-to-text cast)."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            tables = inspect(connection).get_table_names()
            rows = [
                row[0]
                for table in tables
                for row in connection.execute(text(f'SELECT CAST(t AS text) FROM "{table}" t'))
            ]
    finally:
        engine.dispose()
    assert rows, f"nothing in {url.rsplit('/', 1)[-1]}"
    return "\n".join(rows)


def postgres_server_log(url: str) -> str:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            data_directory = connection.execute(text("SELECT current_setting('data_directory')")).scalar_one()
    finally:
        engine.dispose()
    log = Path(data_directory).parent / "server.log"  # where tests/pg.py's pg_ctl -l writes
    return log.read_text(errors="replace") if log.exists() else ""


@dataclass
class Target:
    """An assistant to play conversations against, and where it writes."""

    backend: str
    assistant: Assistant
    var: Path

    def stores(self) -> dict[str, str]:
        """Store name -> everything it holds, as text."""
        env = self.assistant.env
        if self.backend == "postgresql":
            return {
                "tracker store (PostgreSQL rows)": sql_dump(env["TRACKER_STORE_URL"]),
                "complaint store (PostgreSQL rows)": sql_dump(env["DATABASE_URL"]),
                "PostgreSQL server log": postgres_server_log(env["DATABASE_URL"]),
            }
        return {}

    def files(self) -> dict[str, str]:
        """Every file the assistant wrote under its var directory (databases, journals, logs), as bytes->text."""
        found = {}
        for path in sorted(p for p in self.var.rglob("*") if p.is_file()):
            found[str(path.relative_to(self.var))] = path.read_bytes().decode("latin-1")
        return found


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def target(request, trained_model: Path, graph_stub: GraphStub, tmp_path_factory) -> Iterator[Target]:
    if request.param == "sqlite":
        running = request.getfixturevalue("assistant")
        yield Target("sqlite", running, running.log_dir.parent)
        return
    base = request.getfixturevalue("postgresql_url")
    var = tmp_path_factory.mktemp("leak-pg-var")
    running = assistant_on_free_ports(
        var, trained_model, graph_stub,
        {"DATABASE_URL": fresh_database(base), "TRACKER_STORE_URL": fresh_database(base)}, with_web=False,
        token="leak-" + secrets.token_hex(16),  # never starting with "-", which `rasa run -t` would take for an option
    )
    running.start()
    try:
        yield Target("postgresql", running, var)
    finally:
        running.stop()


def test_no_identifier_in_clear_anywhere(target: Target, graph_stub: GraphStub):
    assistant = target.assistant
    seed = uuid.uuid4().int % 10**8
    rest_who, erased_who, socket_who, whatsapp_who = (identity(tag, seed + i) for i, tag in
                                                      enumerate(["rest", "erased", "socket", "whatsapp"]))
    identities = [rest_who, erased_who, socket_who, whatsapp_who]
    whatsapp_number = f"336{seed:08d}"
    senders: list[str] = []

    # REST: a complaint, its status, an export.
    rest = Conversation(assistant)
    reference = file_complaint(rest.say_text, rest_who, grouped(rest_who.nir))
    check_status(rest.say_text, reference, rest_who.nir[-4:])
    assert "Voici les données" in rest.say_text("quelles données avez-vous sur moi ?")
    senders.append(rest.sender)

    # REST: a complaint abandoned half-way, then the conversation erased.
    erased = Conversation(assistant)
    erased.say_text(grievance(erased_who))
    erased.say_text("Oui")
    erased.say_text(erased_who.name)
    erased.say_text(erased_who.nir)
    erased.say_text(f"{erased_who.email} {erased_who.phone_national}")
    erased.say_text("stop")
    erased.say_text("supprimez mes données")
    assert "C'est fait" in erased.say_text("/affirm")
    senders.append(erased.sender)

    # socket.io: a complaint and an export, as the web page's widget sends them.
    browser = SocketMember(assistant)
    try:
        file_complaint(browser.say, socket_who, grouped(socket_who.nir, "."))
        assert "Voici les données" in browser.say("quelles données avez-vous sur moi ?")
    finally:
        browser.close()
    senders.append(browser.session_id)

    # WhatsApp: a complaint and its status, proved with the e-mail address.
    senders.append(whatsapp_complaint_and_status(assistant, graph_stub, whatsapp_who, whatsapp_number))

    # An action that fails, reached through the Rasa server as in production, on a tracker holding a name and a
    # description (a date the submit action cannot read is the fault): the answer and both logs say where it failed,
    # never what it held.
    failing = Conversation(assistant)
    failing.say_text("bonjour")
    api = {"token": assistant.token}
    slots = {"member_name": failing_who_name(seed), "complaint_description": FAILING_DESCRIPTION,
             "privacy_accepted": True, "recap_confirmed": True, "first_complaint_date": "pas une date"}
    requests.post(f"{assistant.rasa_url}/conversations/{failing.sender}/tracker/events", params=api, timeout=30,
                  json=[{"event": "slot", "name": k, "value": v} for k, v in slots.items()]).raise_for_status()
    failed = requests.post(f"{assistant.rasa_url}/conversations/{failing.sender}/execute", params=api, timeout=60,
                           json={"name": "action_submit_complaint"})
    # the Rasa server catches the failure, logs it and answers with the tracker (its own API, token-protected)
    assert failed.status_code == 200 and failed.json()["messages"] == [], failed.status_code
    senders.append(failing.sender)

    # Everything the assistant holds, as text.
    haystacks: dict[str, str] = {}
    for sender in senders:
        answer = requests.get(f"{assistant.rasa_url}/conversations/{sender}/tracker",
                              params={"token": assistant.token}, timeout=30)
        answer.raise_for_status()
        haystacks[f"HTTP API tracker {sender[:12]}…"] = answer.text
    haystacks.update(target.stores())
    haystacks.update(target.files())
    names = set(haystacks)
    if target.backend == "sqlite":
        assert {"tracker.db", "recours.db"} <= names, names
    assert {"log/rasa.log", "log/actions.log"} <= names, names

    report = {name: count(haystack, identities, whatsapp_number) for name, haystack in haystacks.items()}
    width = max(len(name) for name in report)
    print(f"\nLeak scan ({target.backend}): clear occurrences per place (all forms of 4 synthetic identities)")
    for name, counts in report.items():
        print(f"  {name:<{width}}  {sum(counts.values())}  ({len(haystacks[name])} characters scanned)")
    # Logs hold no name and no free text either (identifiers are counted above, everywhere).
    logs = {name: haystack for name, haystack in haystacks.items() if name.startswith("log/")}
    words = [who.name for who in identities] + [failing_who_name(seed), FAILING_DESCRIPTION, "refuse de rembourser mes s"]
    in_logs = {name: [w for w in words if w.lower() in haystack.lower()] for name, haystack in logs.items()}
    assert not {name: found for name, found in in_logs.items() if found}, in_logs
    assert "Action server request /webhook failed: ValueError at actions/complaint.py" in logs["log/actions.log"]
    leaks = {name: {k: v for k, v in counts.items() if v} for name, counts in report.items()}
    leaks = {name: found for name, found in leaks.items() if found}
    assert leaks == {}, leaks
    # The scan looks at the right places: the conversations are there, redacted or masked; the erased one is empty.
    rest_tracker = json.loads(haystacks[f"HTTP API tracker {rest.sender[:12]}…"])
    assert any("[NIR]" in (e.get("text") or "") for e in rest_tracker["events"] if e.get("event") == "user")
    assert any("[TELEPHONE]" in (e.get("text") or "") for e in rest_tracker["events"] if e.get("event") == "user")
    # Nothing of the erased conversation is left, not even what is not an identifier (its name), nor in free pages.
    assert not [name for name, haystack in haystacks.items() if erased_who.name in haystack]
    erased_tracker = json.loads(haystacks[f"HTTP API tracker {erased.sender[:12]}…"])
    # (the new session after the erasure starts, as every session does, by saying it is an automated assistant)
    assert not [e for e in erased_tracker["events"] if e.get("event") == "user" or (
        e.get("event") == "bot" and "un programme, pas une personne" not in (e.get("text") or ""))]
