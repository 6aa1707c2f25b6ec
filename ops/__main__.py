"""Command line: ``python -m ops run | train | migrate | purge | outbox | desk-user``."""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import sys
import time


def cmd_migrate(_: argparse.Namespace) -> int:
    from recours.crypto import FieldCipher, MissingKey, load_key
    from recours.settings import get_settings
    from recours.store import ComplaintStore, KeyMismatch, migrate

    settings = get_settings()
    try:
        key = load_key(settings)  # creates the key file only for the embedded default (SQLite under var/)
    except MissingKey as exc:
        print(f"Refus de démarrer : aucune clé de chiffrement ({exc}).", file=sys.stderr)
        return 3
    migrate(settings.database_url)
    try:
        ComplaintStore(settings.database_url, FieldCipher(key))
    except KeyMismatch:
        print(
            "Refus de démarrer : les données existantes ne peuvent pas être déchiffrées avec la clé fournie "
            "(RECOURS_ENCRYPTION_KEY / RECOURS_ENCRYPTION_KEY_FILE).",
            file=sys.stderr,
        )
        return 3
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    """Retention: delete conversation data older than N days (recorded complaints are not concerned)."""
    from recours.crypto import FieldCipher, MissingKey, load_key
    from recours.privacy import purge
    from recours.settings import get_settings
    from recours.store import ComplaintStore, KeyMismatch, StoreError

    settings = get_settings()
    days = settings.conversation_retention_days if args.older_than_days is None else args.older_than_days
    if days < 0:
        print("--older-than-days doit être un nombre de jours positif ou nul.", file=sys.stderr)
        return 2
    try:
        store = ComplaintStore(settings.database_url, FieldCipher(load_key(settings)))
    except MissingKey as exc:
        print(f"Purge impossible : aucune clé de chiffrement ({exc}).", file=sys.stderr)
        return 3
    except KeyMismatch:
        print("Purge impossible : la clé fournie ne correspond pas aux données existantes.", file=sys.stderr)
        return 3
    except StoreError as exc:
        print(f"Purge impossible : base des réclamations indisponible ({exc}).", file=sys.stderr)
        return 2
    try:
        report = purge(store, settings.tracker_store_url, days)
    finally:
        store.dispose()
    print(f"Purge des données de conversation de plus de {days} jours (antérieures au "
          f"{report.cutoff:%Y-%m-%d %H:%M} UTC) :")
    print(f"  événements de conversation supprimés : {report.tracker.events} "
          f"(dont {report.tracker.conversations} conversations entières)")
    print(f"  identifiants en attente supprimés : {report.store.vault_rows}")
    print(f"  tentatives de vérification supprimées : {report.store.status_attempts}")
    print("Les réclamations enregistrées ne sont pas concernées (conservation légale par l'organisme).")
    return 0


def _open_store():
    """The complaint store with the configured key, or (None, exit code) after saying why in French."""
    from recours.crypto import FieldCipher, MissingKey, load_key
    from recours.settings import get_settings
    from recours.store import ComplaintStore, KeyMismatch, StoreError

    settings = get_settings()
    try:
        return ComplaintStore(settings.database_url, FieldCipher(load_key(settings))), 0
    except (MissingKey, KeyMismatch) as exc:
        print(f"Impossible : clé de chiffrement absente ou incorrecte ({type(exc).__name__}).", file=sys.stderr)
        return None, 3
    except StoreError as exc:
        print(f"Impossible : base des réclamations indisponible ({exc}).", file=sys.stderr)
        return None, 2


def cmd_outbox(args: argparse.Namespace) -> int:
    """Deliveries (complaints and call-backs to the back-office, e-mail receipts): list them, or requeue and run one
    delivery pass now (operators); the pass also sends the complaint desk's notices that are due."""
    from recours.backoffice import BackofficeClient
    from recours.mailer import mailer_from_settings
    from recours.organisations import load_organisation
    from recours.outbox import COMPLAINT, Outbox
    from recours.settings import get_settings
    from recours.store import OUTBOX_FAILED, OUTBOX_PENDING

    settings = get_settings()
    store, code = _open_store()
    if store is None:
        return code
    client = None
    if settings.backoffice_url:
        client = BackofficeClient(settings.backoffice_url, token=settings.backoffice_token,
                                  read_timeout=settings.backoffice_read_timeout_seconds)
    mailer = mailer_from_settings(settings)
    outbox = Outbox(store, client, mailer=mailer, retry_base=settings.backoffice_retry_base_seconds,
                    organisation=load_organisation(settings.organisation))
    try:
        if args.action == "retry":
            if client is None and mailer is None:
                print("Ni BACKOFFICE_URL ni SMTP_URL ne sont définis : rien ne peut être envoyé.", file=sys.stderr)
                return 2
            requeued = outbox.requeue(args.reference, include_failed=args.failed)
            if args.reference and not requeued:
                print(f"{args.reference} : aucun envoi à relancer (inconnu, déjà remis, ou en cours).", file=sys.stderr)
                return 1
            print(f"Envois remis en file : {requeued}")
            for attempt in outbox.deliver_due(limit=1000):
                kind = "" if attempt.kind == COMPLAINT else f" [{attempt.kind}]"
                print(f"  {attempt.reference}{kind} : {attempt.result.outcome} ({attempt.result.reason})")
        statuses = None if args.all or args.reference else (OUTBOX_PENDING, OUTBOX_FAILED)
        entries = outbox.entries(statuses, args.reference)
        backlog = outbox.backlog()
    finally:
        store.dispose()
    print(f"{'référence':<16} {'envoi':<16} {'état':<10} {'essais':>6}  {'prochain essai (UTC)':<20} dernière erreur")
    for entry in entries:
        when = entry.next_attempt_at.strftime("%Y-%m-%d %H:%M:%S") if entry.next_attempt_at else "-"
        print(f"{entry.reference:<16} {entry.kind:<16} {entry.status:<10} {entry.attempts:>6}  {when:<20} "
              f"{entry.last_error or ''}")
    age = backlog.oldest_pending_age()
    print(f"En attente : {backlog.pending} (la plus ancienne depuis {int(age)} s)" if age is not None
          else "En attente : 0")
    print(f"Refusés (à traiter par un opérateur) : {backlog.failed}")
    return 0


def _read_password() -> str:
    """From the terminal without echo, or the first line of standard input (scripts, tests)."""
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass("Mot de passe : ")
    return sys.stdin.readline().rstrip("\r\n")


def cmd_desk_user(args: argparse.Namespace) -> int:
    """Accounts of the complaint desk: add (or refresh the password and role), list, disable."""
    from recours.handling.accounts import InvalidAccount, normalise_login, save_account

    store, code = _open_store()
    if store is None:
        return code
    try:
        if args.action == "add":
            if not args.login:
                print("Indiquez l'identifiant : python -m ops desk-user add LOGIN --role handler", file=sys.stderr)
                return 2
            try:
                user, created = save_account(store, args.login, _read_password(), args.role)
            except InvalidAccount as exc:
                print(exc.message_fr, file=sys.stderr)
                return 2
            store.audit("ops", "user_saved", detail=f"{user.login} role={user.role}")
            print(f"Compte {user.login} ({user.role}) {'créé' if created else 'mis à jour'}.")
        elif args.action == "disable":
            if not store.deactivate_desk_user(normalise_login(args.login or "")):
                print(f"{args.login} : compte inconnu.", file=sys.stderr)
                return 1
            store.audit("ops", "user_disabled", detail=normalise_login(args.login))
            print(f"Compte {normalise_login(args.login)} désactivé (ses sessions sont fermées).")
        else:
            for user in store.desk_users():
                print(f"{user.login:<24} {user.role:<11} {'actif' if user.active else 'désactivé'}")
    finally:
        store.dispose()
    return 0


def _first_supervisor() -> str | None:
    """A fresh install has no desk account: create « superviseur » with a generated password, shown once."""
    from recours.handling.accounts import save_account

    store, _ = _open_store()
    if store is None:
        return None
    try:
        if store.desk_users():
            return None
        password = secrets.token_urlsafe(12)
        save_account(store, "superviseur", password, "supervisor")
        return password
    finally:
        store.dispose()


def cmd_train(_: argparse.Namespace) -> int:
    from ops.launcher import ensure_model

    print(ensure_model())
    return 0


def cmd_run(_: argparse.Namespace) -> int:
    from ops.launcher import Assistant
    from recours.organisations import load_organisation
    from recours.settings import get_settings

    settings = get_settings()
    load_organisation(settings.organisation)  # fail now, with the list of known keys, on a wrong RECOURS_ORGANISATION
    token = os.environ.get("RASA_AUTH_TOKEN") or ""
    generated = not token
    token = token or secrets.token_urlsafe(24)
    assistant = Assistant(
        rasa_port=int(os.environ.get("RASA_PORT", 5005)),
        action_port=int(os.environ.get("ACTION_PORT", 5055)),
        web_port=int(os.environ.get("WEB_PORT", 8080)),
        desk_port=settings.desk_port,
        host=os.environ.get("RECOURS_HOST", "127.0.0.1"),
        token=token,
        log_dir=settings.var_dir / "log",
    )
    started = time.monotonic()
    print("Démarrage de Recours (serveur d'actions, serveur Rasa, page de démonstration, guichet)…", flush=True)
    def _interrupt(*_: object) -> None:
        raise KeyboardInterrupt

    # Ctrl-C or SIGTERM stops everything, even during training or start-up. Explicit handlers: a shell that
    # starts `make run` in the background ignores SIGINT by default.
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)
    try:
        assistant.start()
        print(f"Prêt en {time.monotonic() - started:.0f} s — organisation : {settings.organisation}")
        print(f"  REST      : POST {assistant.rasa_url}/webhooks/rest/webhook")
        print(f"  Page web  : {assistant.web_url}/")
        print(f"  API HTTP  : {assistant.rasa_url} (?token=…)")
        print(f"  Guichet   : {assistant.desk_url}/ (gestionnaires de réclamations)")
        if generated:
            print(f"  Jeton API généré pour cette session (affiché une seule fois) : {token}")
        password = None if settings.desk_admin else _first_supervisor()
        if password:
            print(f"  Compte du guichet créé (mot de passe affiché une seule fois) : superviseur / {password}")
        print("Ctrl-C pour tout arrêter.", flush=True)
        while all(process.poll() is None for process in assistant.processes.values()):
            time.sleep(1)
        for name, process in assistant.processes.items():
            if process.poll() is not None:
                print(f"{name} s'est arrêté (code {process.returncode}) : voir {assistant.log_dir}/{name}.log")
    except KeyboardInterrupt:
        pass
    finally:
        print("Arrêt de tous les processus…", flush=True)
        assistant.stop()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m ops")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="train if needed and start everything").set_defaults(func=cmd_run)
    sub.add_parser("train", help="train a model if the data changed").set_defaults(func=cmd_train)
    sub.add_parser("migrate", help="create/upgrade the complaint store, check the key").set_defaults(func=cmd_migrate)
    purge = sub.add_parser("purge", help="delete conversation data older than N days (RECOURS_CONVERSATION_RETENTION_DAYS)")
    purge.add_argument("--older-than-days", type=int, default=None, metavar="N",
                       help="days to keep [RECOURS_CONVERSATION_RETENTION_DAYS, 30]")
    purge.set_defaults(func=cmd_purge)
    outbox = sub.add_parser("outbox", help="deliveries (back-office, receipts): list, or retry now (operators)")
    outbox.add_argument("action", choices=("list", "retry"))
    outbox.add_argument("--reference", default=None, metavar="R",
                        help="one complaint (REC-2026-XXXXXX) or call-back (RAP-2026-XXXXXX)")
    outbox.add_argument("--all", action="store_true", help="list: delivered and local ones too")
    outbox.add_argument("--failed", action="store_true", help="retry: refused deliveries too (after fixing them)")
    outbox.set_defaults(func=cmd_outbox)
    desk_user = sub.add_parser("desk-user", help="complaint desk accounts: add (password on stdin), list, disable")
    desk_user.add_argument("action", choices=("add", "list", "disable"))
    desk_user.add_argument("login", nargs="?", default=None)
    desk_user.add_argument("--role", choices=("handler", "supervisor"), default="handler")
    desk_user.set_defaults(func=cmd_desk_user)
    args = parser.parse_args()
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
