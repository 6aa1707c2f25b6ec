"""``python -m desk [--host H] [--port P]``: the complaint desk (defaults: RECOURS_HOST, DESK_PORT)."""

from __future__ import annotations

import argparse

from desk.server import run


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m desk")
    parser.add_argument("--host", default=None)
    parser.add_argument("--port", type=int, default=None)
    args = parser.parse_args()
    run(args.host, args.port)


if __name__ == "__main__":
    main()
