"""The WhatsApp channel (addons/whatsapp/): webhook, turns, sending, deduplication.

The channel's blueprint runs in a real Sanic server on a free port (a thread with its own event loop) with a fake
``on_new_message`` standing in for Rasa; replies go to a real local HTTP server standing in for the Graph API
(tests/graph_stub.py). Webhook payloads follow Meta's documented format and are signed like Meta signs them.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import re
import shutil
import threading
import time
import uuid
from typing import Any, Callable, Iterator

import pytest
import requests
from sanic import Sanic

from addons import whatsapp as wa
from addons.graph_api import GraphClient, GraphConfig
from recours.crypto import FieldCipher, generate_key
from recours.organisations import load_organisation
from recours.settings import load_settings
from tests.graph_stub import (
    ACCESS_TOKEN,
    APP_SECRET,
    MEDIA_CONTENT,
    PHONE_NUMBER_ID,
    VERIFY_TOKEN,
    GraphStub,
    button_reply,
    graph_stub,  # noqa: F401 - session fixture
    list_reply,
    media_message,
    message_problems,
    status_callback,
    text_message,
    webhook_payload,
)
from tests.ports import free_port
from tests.redis_server import RedisServer

NUMBER = "33612345678"
OTHER_NUMBER = "33698765432"
FAST = {"backoff_base": 0.01, "backoff_max": 0.05, "total_timeout": 5.0}


class FakeRasa:
    """Records what Rasa would receive and answers through the message's output channel, like Rasa does."""

    def __init__(self) -> None:
        self.received: list[Any] = []
        self.replies: Callable[[Any], list[dict[str, Any]]] = lambda message: [{"text": "Bien reçu."}]
        self.fail_with: Exception | None = None
        self.delay = 0.0

    async def __call__(self, message: Any) -> None:
        self.received.append(message)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.fail_with is not None:
            raise self.fail_with
        for reply in self.replies(message):
            await message.output_channel.send_response(message.sender_id, dict(reply))

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Any]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.received


class ChannelServer:
    """The channel's blueprint mounted in a Sanic app served on a free port, in a background event loop.

    Sanic 21.12 rewrites some of its own methods the first time an app starts ("touch-up"), which breaks a
    second app in the same process unless ``Sanic.test_mode`` is set.
    """

    def __init__(self, channel: wa.WhatsAppInput, on_new_message: FakeRasa) -> None:
        Sanic.test_mode = True
        self.app = Sanic(f"whatsapp_test_{uuid.uuid4().hex[:8]}")
        self.app.config.MOTD = False
        self.app.blueprint(channel.blueprint(on_new_message), url_prefix="/webhooks/whatsapp")
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        self.server: Any = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/webhooks/whatsapp/webhook"

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)

        async def start() -> None:
            self.server = await self.app.create_server(
                host="127.0.0.1", port=self.port, return_asyncio_server=True, access_log=False
            )
            await self.server.startup()
            await self.server.after_start()
            self._ready.set()

        self.loop.run_until_complete(start())
        self.loop.run_forever()

    def start(self) -> "ChannelServer":
        self._thread.start()
        assert self._ready.wait(10), "the Sanic test server did not start"
        return self

    def stop(self) -> None:
        async def shutdown() -> None:
            await self.server.before_stop()
            self.server.close()
            await self.server.wait_closed()
            await self.server.after_stop()

        asyncio.run_coroutine_threadsafe(shutdown(), self.loop).result(timeout=20)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=5)


def settings(graph_url: str, **overrides: Any):
    base = load_settings()
    values = {
        "whatsapp_verify_token": VERIFY_TOKEN,
        "whatsapp_app_secret": APP_SECRET,
        "whatsapp_access_token": ACCESS_TOKEN,
        "whatsapp_phone_number_id": PHONE_NUMBER_ID,
        "whatsapp_graph_url": graph_url,
        "encryption_key": KEY,
        "redis_url": None,
        "organisation": "cpms",
    }
    values.update(overrides)
    return dataclasses.replace(base, **values)


KEY = generate_key()


def make_channel(graph_url: str, **overrides: Any) -> wa.WhatsAppInput:
    s = settings(graph_url, **overrides)
    config = GraphConfig.from_settings(s, **FAST) if s.whatsapp_access_token and s.whatsapp_phone_number_id else None
    return wa.WhatsAppInput(s, graph_config=config)


@pytest.fixture
def stub(graph_stub: GraphStub) -> GraphStub:  # noqa: F811 - the imported fixture
    graph_stub.reset()
    return graph_stub


@pytest.fixture
def rasa() -> FakeRasa:
    return FakeRasa()


@pytest.fixture
def server(stub: GraphStub, rasa: FakeRasa, monkeypatch: pytest.MonkeyPatch) -> Iterator[ChannelServer]:
    monkeypatch.setenv("RECOURS_ORGANISATION", "cpms")
    running = ChannelServer(make_channel(stub.url), rasa).start()
    try:
        yield running
    finally:
        running.stop()


def post(server: ChannelServer, payload: Any, secret: str | None = APP_SECRET, header: str | None = None,
         raw: bytes | None = None) -> requests.Response:
    body = raw if raw is not None else json.dumps(payload, ensure_ascii=False).encode("utf-8")
    headers = {"Content-Type": "application/json"}
    if header is not None:
        headers[wa.SIGNATURE_HEADER] = header
    elif secret is not None:
        headers[wa.SIGNATURE_HEADER] = wa.sign(secret, body)
    return requests.post(server.url, data=body, headers=headers, timeout=10)


def expected_sender(number: str = NUMBER) -> str:
    return wa.sender_id_for(FieldCipher(KEY), number)


# ----------------------------------------------------------------------------------------------------------------
# Verification handshake
# ----------------------------------------------------------------------------------------------------------------


def test_verification_answers_the_challenge_with_the_right_token(server):
    answer = requests.get(server.url, params={"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN,
                                              "hub.challenge": "1158201444"}, timeout=5)
    assert answer.status_code == 200 and answer.text == "1158201444"


@pytest.mark.parametrize("params", [
    {"hub.mode": "subscribe", "hub.verify_token": "wrong-token", "hub.challenge": "1158201444"},
    {"hub.mode": "subscribe", "hub.challenge": "1158201444"},
    {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"},
    {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN + "x", "hub.challenge": "1158201444"},
    {},
])
def test_verification_refuses_anything_else(server, params):
    answer = requests.get(server.url, params=params, timeout=5)
    assert answer.status_code == 403
    assert "1158201444" not in answer.text


# ----------------------------------------------------------------------------------------------------------------
# Signature
# ----------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("header", [
    None,  # missing
    "sha256=" + "0" * 64,
    "sha256=",
    "garbage",
])
def test_unsigned_or_badly_signed_delivery_is_refused_without_a_turn(server, rasa, stub, header):
    payload = text_message(NUMBER, "wamid.SIG1", "Bonjour")
    answer = post(server, payload, secret=None, header=header)
    assert answer.status_code == 403
    time.sleep(0.3)
    assert rasa.received == [] and stub.requests == []


def test_signature_with_another_secret_or_over_another_body_is_refused(server, rasa):
    payload = text_message(NUMBER, "wamid.SIG2", "Bonjour")
    assert post(server, payload, secret="another-app-secret").status_code == 403
    signed = json.dumps(payload).encode()
    tampered = signed.replace(b"Bonjour", b"Bonsoir")
    assert post(server, None, header=wa.sign(APP_SECRET, signed), raw=tampered).status_code == 403
    # SHA-1 signatures (the old X-Hub-Signature) are not accepted in place of SHA-256.
    assert post(server, None, header="sha1=" + "a" * 40, raw=signed).status_code == 403
    time.sleep(0.3)
    assert rasa.received == []


def test_signature_is_checked_on_the_raw_bytes():
    body = '{"a": "é"}'.encode("utf-8")
    assert wa.signature_is_valid(APP_SECRET, body, wa.sign(APP_SECRET, body))
    assert not wa.signature_is_valid(APP_SECRET, body, wa.sign(APP_SECRET, json.dumps({"a": "é"}).encode()))
    assert not wa.signature_is_valid("", body, wa.sign("", body))


def test_signed_but_invalid_json_is_a_bad_request(server, rasa):
    assert post(server, None, raw=b"{not json").status_code == 400
    assert rasa.received == []


# ----------------------------------------------------------------------------------------------------------------
# Turns
# ----------------------------------------------------------------------------------------------------------------


def test_text_message_answers_at_once_and_runs_one_turn_under_a_hashed_sender_id(server, rasa, stub):
    rasa.delay = 6.0  # a slow turn must not delay the webhook's answer (the margin allows a loaded machine)
    started = time.monotonic()
    answer = post(server, text_message(NUMBER, "wamid.T1", "Je veux faire une réclamation"))
    elapsed = time.monotonic() - started
    assert answer.status_code == 200 and elapsed < 3.0

    [message] = rasa.wait_for(1)
    assert message.text == "Je veux faire une réclamation"
    assert message.input_channel == "whatsapp"
    assert re.fullmatch(r"wa-[0-9a-f]{32}", message.sender_id)
    assert message.sender_id == expected_sender()
    # The number appears nowhere Rasa can store it: sender id, message id, metadata, parse data.
    visible = json.dumps([message.sender_id, message.message_id, message.metadata, message.parse_data, message.text])
    assert NUMBER not in visible and "wamid" not in visible
    assert NUMBER not in repr(message.output_channel)

    [reply] = stub.wait_for(1)
    assert reply == {"messaging_product": "whatsapp", "recipient_type": "individual", "to": NUMBER,
                     "type": "text", "text": {"body": "Bien reçu.", "preview_url": False}}
    request = stub.requests[0]
    assert request.headers["Authorization"] == f"Bearer {ACCESS_TOKEN}"
    assert request.path == f"/v21.0/{PHONE_NUMBER_ID}/messages"


def test_sender_id_is_stable_per_number_and_distinct_between_numbers():
    cipher = FieldCipher(KEY)
    assert wa.sender_id_for(cipher, NUMBER) == wa.sender_id_for(cipher, "+" + NUMBER)
    assert wa.sender_id_for(cipher, NUMBER) != wa.sender_id_for(cipher, OTHER_NUMBER)
    assert wa.sender_id_for(cipher, NUMBER) != wa.sender_id_for(FieldCipher(generate_key()), NUMBER)
    assert NUMBER not in wa.sender_id_for(cipher, NUMBER)


def test_duplicate_delivery_makes_one_turn(server, rasa, stub):
    payload = text_message(NUMBER, "wamid.DUP1", "Bonjour")
    answers = [post(server, payload) for _ in range(3)]
    with_threads: list[requests.Response] = []
    threads = [threading.Thread(target=lambda: with_threads.append(post(server, payload))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(a.status_code == 200 for a in answers + with_threads)  # Meta must stop retrying
    time.sleep(0.5)
    assert len(rasa.received) == 1
    assert len(stub.delivered()) == 1


def test_status_callbacks_are_acknowledged_and_ignored(server, rasa, stub):
    for status in ("sent", "delivered", "read"):
        assert post(server, status_callback(NUMBER, "wamid.OUT1", status)).status_code == 200
    failed = status_callback(NUMBER, "wamid.OUT2", "failed")
    failed["entry"][0]["changes"][0]["value"]["statuses"][0]["errors"] = [
        {"code": 131047, "title": "Re-engagement message"}
    ]
    assert post(server, failed).status_code == 200
    time.sleep(0.3)
    assert rasa.received == [] and stub.requests == []


def test_messages_to_another_phone_number_of_the_account_are_ignored(server, rasa):
    payload = text_message(NUMBER, "wamid.OTHER", "Bonjour")
    payload["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = "999999999999999"
    assert post(server, payload).status_code == 200
    time.sleep(0.3)
    assert rasa.received == []


def test_messages_of_one_delivery_run_in_order(server, rasa):
    value = text_message(NUMBER, "wamid.A", "premier")["entry"][0]["changes"][0]["value"]
    value["messages"].append({**value["messages"][0], "id": "wamid.B", "text": {"body": "second"}})
    value["messages"].append({**value["messages"][0], "id": "wamid.C", "text": {"body": "troisième"}})
    rasa.delay = 0.1
    assert post(server, webhook_payload(value)).status_code == 200
    assert [m.text for m in rasa.wait_for(3)] == ["premier", "second", "troisième"]


@pytest.mark.parametrize("builder", [button_reply, list_reply])
def test_tapped_button_or_list_row_comes_back_as_its_payload(server, rasa, builder):
    payload = '/inform{"nature":"remboursement"}'
    assert post(server, builder(NUMBER, f"wamid.{builder.__name__}", payload, "Remboursement")).status_code == 200
    [message] = rasa.wait_for(1)
    assert message.text == payload
    assert message.sender_id == expected_sender()


@pytest.mark.parametrize("kind", sorted(MEDIA_CONTENT))
def test_media_gets_a_french_answer_and_no_turn(server, rasa, stub, kind):
    assert post(server, media_message(NUMBER, f"wamid.MEDIA.{kind}", kind)).status_code == 200
    [reply] = stub.wait_for(1)
    time.sleep(0.2)
    assert rasa.received == []
    body = reply["text"]["body"]
    assert reply["to"] == NUMBER
    assert "messages écrits" in body and "pièces justificatives" in body
    organisation = load_organisation("cpms")
    assert organisation.complaint_channels.email.address in body
    assert "ma facture" not in body and "Jean Dupont" not in body


def test_a_failing_turn_is_logged_without_text_or_number(server, rasa, caplog):
    secret_text = "mon numéro est 2 84 07 2A 004 312"
    rasa.fail_with = RuntimeError(f"boom while handling {secret_text!r} from {NUMBER}")
    with caplog.at_level(logging.DEBUG):
        assert post(server, text_message(NUMBER, "wamid.FAIL", secret_text)).status_code == 200
        rasa.wait_for(1)
        time.sleep(0.3)
    # Turns run through addons/turns.py, which logs the failure (and tells the member in French).
    errors = [r for r in caplog.records
              if r.levelno >= logging.ERROR and r.name.startswith(("addons.whatsapp", "addons.turns"))]
    assert errors and "RuntimeError" in errors[0].getMessage()
    everything = "\n".join(r.getMessage() for r in caplog.records)
    assert NUMBER not in everything and "2 84 07" not in everything and "wamid" not in everything
    assert ACCESS_TOKEN not in everything and APP_SECRET not in everything


def test_a_long_reply_is_split_under_4096_characters(server, rasa, stub):
    paragraphs = [f"Paragraphe {i} : " + "Voici une phrase de démonstration assez longue. " * 15 for i in range(12)]
    long_text = "\n\n".join(paragraphs)
    assert len(long_text) > 8192
    rasa.replies = lambda message: [{"text": long_text}]
    post(server, text_message(NUMBER, "wamid.LONG", "détails"))
    stub.wait_for(3)
    stub.wait_quiet(0.3)
    bodies = [m["text"]["body"] for m in stub.delivered()]
    assert len(bodies) == 3 and all(len(b) <= 4096 for b in bodies)
    assert all(b.startswith("Paragraphe") for b in bodies)  # cut between paragraphs
    assert " ".join(" ".join(bodies).split()) == " ".join(long_text.split())
    assert stub.problems == []


def test_buttons_become_interactive_messages_and_a_numbered_menu_maps_back(server, rasa, stub):
    many = [{"title": f"Option numéro {i}", "payload": f"/choose{{\"n\":{i}}}"} for i in range(1, 13)]
    turns = iter([
        [{"text": "Avez-vous déjà envoyé une réclamation écrite ?",
          "buttons": [{"title": "Oui", "payload": "Oui"}, {"title": "Non", "payload": "Non"}]}],
        [{"text": "Quel est le motif ?", "buttons": [
            {"title": label, "payload": f'/inform{{"nature":"{key}"}}'}
            for key, label in [("adhesion", "Adhésion"), ("remboursement", "Remboursement"),
                               ("delai_traitement", "Délai de traitement"), ("qualite_service", "Qualité de service"),
                               ("autre", "Autre motif que ceux proposés ci-dessus")]]}],
        [{"text": "Choisissez :", "buttons": many}],
        [{"text": "Merci."}],
    ])
    rasa.replies = lambda message: next(turns)
    for i, text in enumerate(["a", "b", "c"]):
        post(server, text_message(NUMBER, f"wamid.BTN{i}", text))
        stub.wait_for(i + 1)
    buttons, listing, numbered = stub.delivered()
    assert buttons["interactive"]["type"] == "button"
    assert [b["reply"] for b in buttons["interactive"]["action"]["buttons"]] == [
        {"id": "Oui", "title": "Oui"}, {"id": "Non", "title": "Non"}]
    assert listing["interactive"]["type"] == "list"
    assert listing["interactive"]["action"]["button"] == "Choisir"
    rows = listing["interactive"]["action"]["sections"][0]["rows"]
    assert rows[1] == {"id": '/inform{"nature":"remboursement"}', "title": "Remboursement"}
    assert len(rows[4]["title"]) <= 24 and rows[4]["title"].endswith("…")
    assert rows[4]["description"] == "Autre motif que ceux proposés ci-dessus"
    assert numbered["type"] == "text" and "12. Option numéro 12" in numbered["text"]["body"]
    assert stub.problems == []
    # The member answers the numbered menu with a number: Rasa gets the payload.
    post(server, text_message(NUMBER, "wamid.BTN3", "2"))
    assert rasa.wait_for(4)[3].text == '/choose{"n":2}'


# ----------------------------------------------------------------------------------------------------------------
# Not configured
# ----------------------------------------------------------------------------------------------------------------


def test_without_whatsapp_settings_the_webhook_answers_503_and_says_so_once(stub, rasa, caplog):
    channel = make_channel(stub.url, whatsapp_verify_token=None, whatsapp_app_secret=None,
                           whatsapp_access_token=None, whatsapp_phone_number_id=None)
    with caplog.at_level(logging.WARNING, logger="addons.whatsapp"):
        running = ChannelServer(channel, rasa).start()
    try:
        payload = text_message(NUMBER, "wamid.OFF", "Bonjour")
        assert post(running, payload).status_code == 503
        assert requests.get(running.url, params={"hub.mode": "subscribe", "hub.verify_token": "",
                                                 "hub.challenge": "1"}, timeout=5).status_code == 503
        assert requests.get(running.url.rsplit("/", 1)[0] + "/", timeout=5).status_code == 200
    finally:
        running.stop()
    notices = [r for r in caplog.records if "not configured" in r.getMessage()]
    assert len(notices) == 1
    assert rasa.received == []


def test_a_partial_configuration_is_an_error_naming_the_missing_variables(stub, caplog):
    channel = make_channel(stub.url, whatsapp_access_token=None)
    with caplog.at_level(logging.ERROR, logger="addons.whatsapp"):
        channel.blueprint(FakeRasa())
    assert not channel.enabled
    assert any("WHATSAPP_ACCESS_TOKEN" in r.getMessage() for r in caplog.records)
    assert all(APP_SECRET not in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("configured", [False, True])
def test_credentials_yml_registers_the_channel_by_module_path(monkeypatch, tmp_path, configured):
    """What ``rasa run --credentials credentials.yml`` does for a channel given by module path (rasa.core.run)."""
    import yaml
    from rasa.shared.utils.common import class_from_module_path

    from recours.settings import PROJECT_ROOT

    for name in wa.REQUIRED_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RECOURS_ENCRYPTION_KEY", KEY)
    if configured:
        for name, value in {"WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN, "WHATSAPP_APP_SECRET": APP_SECRET,
                            "WHATSAPP_ACCESS_TOKEN": ACCESS_TOKEN, "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID}.items():
            monkeypatch.setenv(name, value)
    credentials = yaml.safe_load((PROJECT_ROOT / "credentials.yml").read_text(encoding="utf-8"))
    assert "addons.whatsapp.WhatsAppInput" in credentials
    channel = class_from_module_path("addons.whatsapp.WhatsAppInput").from_credentials(
        credentials["addons.whatsapp.WhatsAppInput"]
    )
    assert isinstance(channel, wa.WhatsAppInput) and channel.url_prefix() == "whatsapp"
    assert channel.enabled is configured


def test_settings_read_the_whatsapp_variables(monkeypatch):
    monkeypatch.setenv("WHATSAPP_GRAPH_URL", "http://127.0.0.1:9/v21.0/")
    monkeypatch.setenv("WHATSAPP_APP_SECRET", "s3cret")
    monkeypatch.setenv("WHATSAPP_PHONE_NUMBER_ID", " 123 ")
    s = load_settings()
    assert s.whatsapp_graph_url == "http://127.0.0.1:9/v21.0" and s.whatsapp_phone_number_id == "123"
    assert s.whatsapp_app_secret == "s3cret" and "s3cret" not in repr(s)
    monkeypatch.delenv("WHATSAPP_GRAPH_URL")
    assert load_settings().whatsapp_graph_url.startswith("https://graph.facebook.com/")


# ----------------------------------------------------------------------------------------------------------------
# Sending a turn's replies
# ----------------------------------------------------------------------------------------------------------------


def test_a_send_failure_is_logged_and_the_rest_of_the_turn_skipped(stub, caplog):
    graph = GraphClient(GraphConfig(stub.url, PHONE_NUMBER_ID, ACCESS_TOKEN, **{**FAST, "max_attempts": 1}))
    output = wa.WhatsAppOutput(graph, NUMBER, "wa-test", wa.NumberedMenus())

    async def turn() -> None:
        stub.fail_next(500)
        await output.send_text_message("wa-test", "premier")
        await output.send_text_message("wa-test", "second")
        await output._client.close()

    with caplog.at_level(logging.WARNING):
        asyncio.run(turn())  # does not raise: Rasa must still save the turn
    assert len(stub.requests) == 1
    assert any("could not be sent" in r.getMessage() for r in caplog.records)
    assert all(NUMBER not in r.getMessage() for r in caplog.records)


# ----------------------------------------------------------------------------------------------------------------
# Deduplication stores
# ----------------------------------------------------------------------------------------------------------------


def test_seen_messages_expire_and_stay_bounded():
    now = [0.0]
    seen = wa.SeenMessages(ttl=10, max_entries=3, clock=lambda: now[0])
    run = asyncio.run
    assert run(seen.first_time("a")) and not run(seen.first_time("a"))
    now[0] = 11
    assert run(seen.first_time("a"))  # expired
    for key in "bcde":
        run(seen.first_time(key))
    assert len(seen) <= 3


def test_redis_deduplication_falls_back_to_memory_when_redis_is_down(caplog):
    seen = wa.RedisSeenMessages(f"redis://127.0.0.1:{free_port()}/0")

    async def check() -> tuple[bool, bool]:
        try:
            return await seen.first_time("k"), await seen.first_time("k")
        finally:
            await seen.close()

    with caplog.at_level(logging.WARNING):
        assert asyncio.run(check()) == (True, False)
    assert any("Redis unreachable" in r.getMessage() for r in caplog.records)


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")
def test_redis_deduplication_is_shared_between_processes():
    server = RedisServer().start()
    try:
        async def check() -> list[bool]:
            one, two = (wa.RedisSeenMessages(f"redis://127.0.0.1:{server.port}/0", ttl=60) for _ in range(2))
            try:
                return [await one.first_time("m1"), await two.first_time("m1"), await two.first_time("m2")]
            finally:
                await one.close()
                await two.close()

        assert asyncio.run(check()) == [True, False, True]
    finally:
        server.cleanup()
