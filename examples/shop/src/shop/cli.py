"""The ``shop`` command: serve the services, print the OpenAPI document, migrate, list defects.

    shop serve                          # all services in one process on 127.0.0.1:8000
    shop serve inventory,orders --port 8001
    shop openapi > openapi.json
    shop migrate                        # Alembic upgrade head on SHOP_DATABASE_URL
    shop revision "add a column"        # a new migration from the models' changes
    shop defects                        # the seeded defects SHOP_DEFECTS may switch on
    shop signing-key > key.pem          # a key to share between processes

Configuration comes from ``SHOP_*`` variables (see ``shop.platform.settings``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from shop.bootstrap import create_app, parse_services, register_all_defects
from shop.platform.settings import ShopSettings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="shop", description="The shop reference services.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve services over HTTP with uvicorn")
    serve.add_argument(
        "services", nargs="?", default="all", help="'all' (default) or a list like inventory,orders"
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--log-level", default=None, help="default: SHOP_LOG_LEVEL or INFO")
    openapi = commands.add_parser("openapi", help="print the OpenAPI document as JSON")
    openapi.add_argument("services", nargs="?", default="all")
    commands.add_parser("migrate", help="apply the database migrations (Alembic upgrade head)")
    revision = commands.add_parser(
        "revision", help="write a new migration from the models' changes (database at head)"
    )
    revision.add_argument("message")
    commands.add_parser("defects", help="list the seeded defects SHOP_DEFECTS may switch on")
    commands.add_parser(
        "signing-key", help="print a new RSA signing key (PEM) for SHOP_SIGNING_KEY_FILE"
    )
    return parser


def _serve(args: argparse.Namespace, settings: ShopSettings) -> int:
    import uvicorn

    from shop.platform.http import configure_logging

    level = args.log_level or settings.log_level
    configure_logging(level, settings.log_json)
    app = create_app(settings, parse_services(args.services))
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_config=None,
        access_log=False,
        server_header=False,
        proxy_headers=False,
    )
    return 0


def _openapi(args: argparse.Namespace, settings: ShopSettings) -> int:
    app = create_app(settings, parse_services(args.services))
    json.dump(app.openapi(), sys.stdout, indent=2, sort_keys=False)
    sys.stdout.write("\n")
    return 0


def _migrate(settings: ShopSettings) -> int:
    from shop.platform.database import make_engine
    from shop.platform.schema import upgrade_schema

    register_all_defects()
    engine = make_engine(settings.database_url)
    try:
        upgrade_schema(engine)
    finally:
        engine.dispose()
    print(f"shop: {engine.url.render_as_string(hide_password=True)} is at the latest revision")
    return 0


def _revision(args: argparse.Namespace, settings: ShopSettings) -> int:
    from alembic import command

    from shop.platform.database import make_engine
    from shop.platform.schema import alembic_config

    engine = make_engine(settings.database_url)
    try:
        command.revision(alembic_config(engine), message=args.message, autogenerate=True)
    finally:
        engine.dispose()
    return 0


def _defects() -> int:
    from shop.platform.defects import KNOWN_DEFECTS

    register_all_defects()
    for name, description in sorted(KNOWN_DEFECTS.items()):
        print(f"{name}: {description}")
    return 0


def _signing_key() -> int:
    from shop.identity.keys import SigningKey

    sys.stdout.write(SigningKey.generate().private_pem())
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``shop`` console script."""
    args = _parser().parse_args(argv)
    try:
        settings = ShopSettings.from_env()
        if args.command == "serve":
            return _serve(args, settings)
        if args.command == "openapi":
            return _openapi(args, settings)
        if args.command == "migrate":
            return _migrate(settings)
        if args.command == "revision":
            return _revision(args, settings)
        if args.command == "signing-key":
            return _signing_key()
        return _defects()
    except ValueError as exc:
        print(f"shop: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
